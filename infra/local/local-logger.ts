/** Terminal logging for the local stack: one short line per thing that happened, quiet in tests. */
export interface LocalLogger {
  info(area: string, message: string): void;
  warn(area: string, message: string): void;
  error(area: string, message: string, error?: unknown): void;
}

const clock = () => new Date().toISOString().slice(11, 19);
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);

export const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export const terminalLogger = (): LocalLogger => ({
  info: (area, message) => console.log(`${paint(90, clock())} ${paint(36, area.padEnd(7))} ${message}`),
  warn: (area, message) => console.warn(`${paint(90, clock())} ${paint(33, area.padEnd(7))} ${message}`),
  error: (area, message, error) =>
    console.error(
      `${paint(90, clock())} ${paint(31, area.padEnd(7))} ${message}${error === undefined ? '' : `: ${errorText(error)}`}`,
    ),
});

export const silentLogger = (): LocalLogger => ({ info: () => {}, warn: () => {}, error: () => {} });
