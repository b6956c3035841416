import type { Template } from 'aws-cdk-lib/assertions';
import jsonata from 'jsonata';

/**
 * A small interpreter of the JSONata state machines this stack defines (Task on lambda:invoke, inline Map, Choice,
 * Succeed, Assign and Output), enough to run a synthesized definition against the real step handler on DynamoDB
 * Local and s3rver. It follows the documented semantics the definitions rely on: `$states.input`, `$states.result`,
 * `$states.context.Execution.Name`, variables visible to nested Map iterations, Assign and Output evaluated with the
 * variables as they were before the state, a Map's items run with at most MaxConcurrency at once.
 */
type State = {
  Type: 'Task' | 'Map' | 'Choice' | 'Succeed' | 'Pass';
  Next?: string;
  End?: boolean;
  Arguments?: unknown;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Items?: unknown;
  MaxConcurrency?: number;
  ItemProcessor?: Definition;
  Choices?: Array<{ Condition: string; Next: string }>;
  Default?: string;
};
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

/** The definition of a state machine in a template, with CloudFormation references replaced by `<Ref:id>`. */
export const definitionOf = (template: Template, logicalId: string): Definition => {
  const machine = template.findResources('AWS::StepFunctions::StateMachine')[logicalId];
  const parts: unknown[] = machine?.Properties.DefinitionString['Fn::Join'][1] ?? [];
  return JSON.parse(
    parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const ref = (part as { Ref?: string }).Ref;
        const att = (part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
        return ref ? `<Ref:${ref}>` : att ? `<GetAtt:${att.join('.')}>` : '<other>';
      })
      .join(''),
  );
};

type Env = { states: Record<string, unknown> } & Record<string, unknown>;

const evaluate = async (value: unknown, env: Env): Promise<unknown> => {
  if (typeof value === 'string') {
    const m = /^\{%([\s\S]*)%\}$/.exec(value);
    return m ? jsonata(m[1] ?? '').evaluate({}, env) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => evaluate(v, env)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evaluate(v, env);
    return out;
  }
  return value;
};

export type Invoke = (payload: unknown) => Promise<unknown>;

export interface Execution {
  /** Task states entered, by name. */
  entered: Record<string, number>;
}

export const runDefinition = async (
  definition: Definition,
  input: unknown,
  options: { executionName: string; invoke: Invoke },
): Promise<{ output: unknown; execution: Execution }> => {
  const execution: Execution = { entered: {} };
  const context = { Execution: { Name: options.executionName } };
  const run = async (
    def: Definition,
    first: unknown,
    variables: Record<string, unknown>,
  ): Promise<unknown> => {
    let name = def.StartAt;
    let current = first;
    for (;;) {
      const state = def.States[name];
      if (!state) throw new Error(`no state ${name}`);
      execution.entered[name] = (execution.entered[name] ?? 0) + 1;
      const env: Env = { ...variables, states: { input: current, context } };
      let output: unknown = current;
      let result: unknown;
      switch (state.Type) {
        case 'Task': {
          const args = (await evaluate(state.Arguments, env)) as { Payload: unknown };
          result = { Payload: await options.invoke(JSON.parse(JSON.stringify(args.Payload))) };
          break;
        }
        case 'Map': {
          const items = (await evaluate(state.Items, env)) as unknown[];
          const results: unknown[] = new Array(items.length);
          let next = 0;
          const lane = async () => {
            while (next < items.length) {
              const i = next++;
              results[i] = await run(state.ItemProcessor as Definition, items[i], { ...variables });
            }
          };
          await Promise.all(Array.from({ length: Math.min(state.MaxConcurrency ?? 40, items.length) }, lane));
          result = results;
          break;
        }
        case 'Choice': {
          let chosen = state.Default;
          for (const choice of state.Choices ?? [])
            if (await evaluate(choice.Condition, env)) {
              chosen = choice.Next;
              break;
            }
          if (!chosen) throw new Error(`States.NoChoiceMatched in ${name}`);
          name = chosen;
          continue;
        }
        case 'Succeed':
        case 'Pass':
          break;
      }
      const after: Env = { ...variables, states: { input: current, context, ...(result ? { result } : {}) } };
      output = state.Output !== undefined ? await evaluate(state.Output, after) : (result ?? current);
      if (state.Assign)
        for (const [k, v] of Object.entries(state.Assign)) variables[k] = await evaluate(v, after);
      if (state.Type === 'Succeed' || state.End) return output;
      if (!state.Next) throw new Error(`${name} has neither Next nor End`);
      name = state.Next;
      current = output;
    }
  };
  return { output: await run(definition, input, {}), execution };
};
