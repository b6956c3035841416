import { z } from 'zod';
import { type Collecting, type Part, type Plan, reportKeyOf, type VerifyRun } from './run';

/**
 * One step of the verify state machine, as the state machine sends it. The input is checked before anything runs:
 * a malformed one (a hand-started execution with a typo) fails the step with one line naming what is wrong.
 */
const PlanStep = z.object({
  action: z.literal('plan'),
  run: z.string().min(1).max(80),
  repair: z.boolean(),
});
const CollectStep = z.object({
  action: z.literal('collect'),
  plan: z.custom<Plan>((v) => typeof v === 'object' && v !== null && 'run' in v),
  state: z.custom<Collecting>((v) => typeof v === 'object' && v !== null && 'task' in v),
});
const JudgeStep = z.object({
  action: z.literal('judge'),
  plan: z.custom<Plan>((v) => typeof v === 'object' && v !== null && 'run' in v),
  part: z.object({ kind: z.enum(['counts', 'articles']), partition: z.number().int().min(0) }),
});
const ReportStep = z.object({
  action: z.literal('report'),
  plan: z.custom<Plan>((v) => typeof v === 'object' && v !== null && 'run' in v),
});
const StepSchema = z.discriminatedUnion('action', [PlanStep, CollectStep, JudgeStep, ReportStep]);

export class VerifyInputError extends Error {
  override readonly name = 'VerifyInputError';
}

export const makeVerifyStep =
  (run: VerifyRun, settings: { readSharePercent: number }) =>
  async (event: unknown, timeLeft: () => number) => {
    const parsed = StepSchema.safeParse(event);
    if (!parsed.success)
      throw new VerifyInputError(
        `not a verify step: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
      );
    const step = parsed.data;
    switch (step.action) {
      case 'plan': {
        const plan = await run.plan({
          run: step.run,
          repair: step.repair,
          readSharePercent: settings.readSharePercent,
        });
        const parts = run.partsOf(plan);
        return { plan, sources: run.sourcesOf(plan), counts: parts.counts, articles: parts.articles };
      }
      case 'collect':
        return run.collect(step.plan, step.state, timeLeft);
      case 'judge':
        return run.judge(step.plan, step.part as Part);
      case 'report': {
        const report = await run.report(step.plan);
        const total = Object.values(report.found).reduce((n, k) => n + k.count, 0);
        return {
          run: report.run,
          report: reportKeyOf(report.run),
          clean: report.clean,
          found: total,
          left: report.left,
          read: report.read,
        };
      }
    }
  };
