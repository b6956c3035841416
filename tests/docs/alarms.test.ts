import { describe, expect, it } from 'vitest';
import { alarmDescription, RUNBOOK_FILE, runbookAnchor } from '../../infra/constructs/monitoring';
import { synthesize } from '../infra/synth';
import { headingAnchors, readDocument } from './markdown';

const runbooks = headingAnchors(readDocument(RUNBOOK_FILE));
const { template } = synthesize();
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));

describe('alarm runbooks', () => {
  it('every alarm in the synthesized stack ends its description with an existing runbook section', () => {
    expect(alarms.length).toBeGreaterThan(0);
    const problems = alarms.flatMap(([id, alarm]) => {
      const description: unknown = alarm.Properties.AlarmDescription;
      const anchor =
        typeof description === 'string'
          ? new RegExp(`Runbook: ${RUNBOOK_FILE.replace('.', '\\.')}#([\\w-]+)$`).exec(description)?.[1]
          : undefined;
      if (anchor === undefined)
        return [`${id}: no "Runbook: ${RUNBOOK_FILE}#…" at the end of its description`];
      return runbooks.has(anchor) ? [] : [`${id}: ${RUNBOOK_FILE} has no section #${anchor}`];
    });
    expect(problems).toEqual([]);
  });

  it('the description helper puts the runbook address after what fired', () => {
    expect(alarmDescription('DeadLetters', 'Messages sit in the DLQ.')).toBe(
      'Messages sit in the DLQ. Runbook: docs/operations.md#deadletters',
    );
  });

  it('the stream consumers’ alarms, wired after the store rewrite, already have their sections', () => {
    for (const alarm of ['DeriveFailures', 'CountFailures']) expect(runbooks).toContain(runbookAnchor(alarm));
  });
});
