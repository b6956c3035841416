import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type IApplyRule, NagRuleCompliance, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { PipelineChecks } from '../../infra/nag';

/**
 * Audits the cdk-nag acknowledgements of a construct tree: every finding the packs would report with no
 * acknowledgement at all, and which acknowledgements suppress none of them (stale ones, which would hide a future
 * finding). cdk-nag matches an acknowledgement on the resource or any ancestor, by rule id, with the finding in
 * brackets for rules that report several (AwsSolutions-IAM5[Resource::*]); the same here.
 */
export interface Finding {
  readonly id: string;
  readonly path: string;
}

export interface Acknowledgement {
  readonly id: string;
  readonly path: string;
}

/** What a pack's rule reports for a resource, before cdk-nag looks at acknowledgements (nag-pack.js applyRule). */
const record = (packName: string, params: IApplyRule, found: Finding[]) => {
  const id = `${packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
  const path = params.node.node.path;
  try {
    const result = params.rule(params.node);
    if (result === NagRuleCompliance.NON_COMPLIANT) found.push({ id, path });
    else if (Array.isArray(result))
      for (const finding of result) found.push({ id: `${id}[${finding}]`, path });
  } catch {
    // A rule that throws is reported as a finding of the rule.
    found.push({ id, path });
  }
};

class AllAwsSolutions extends AwsSolutionsChecks {
  readonly found: Finding[] = [];
  protected override applyRule(params: IApplyRule): void {
    record(this.readPackName, params, this.found);
  }
}
class AllServerless extends ServerlessChecks {
  readonly found: Finding[] = [];
  protected override applyRule(params: IApplyRule): void {
    record(this.readPackName, params, this.found);
  }
}
class AllPipeline extends PipelineChecks {
  readonly found: Finding[] = [];
  protected override applyRule(params: IApplyRule): void {
    record(this.readPackName, params, this.found);
  }
}

export const unacknowledgedFindings = (scope: IConstruct): Finding[] =>
  [new AllAwsSolutions(), new AllServerless(), new AllPipeline()].flatMap((pack) => {
    pack.validateScope(scope);
    return pack.found;
  });

export const acknowledgements = (scope: IConstruct): Acknowledgement[] => {
  const found: Acknowledgement[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const id of Object.keys(entry.data as Record<string, string>))
        found.push({ id: id.replace(/^annotation::/i, ''), path: node.node.path });
    }
    for (const child of node.node.children) visit(child);
  };
  visit(scope);
  return found;
};

const covers = (ack: Acknowledgement, finding: Finding) =>
  ack.id === finding.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));

/** Acknowledgements that match no finding of the packs: each should be removed (or the finding is gone). */
export const staleAcknowledgements = (scope: IConstruct): string[] => {
  const findings = unacknowledgedFindings(scope);
  return acknowledgements(scope)
    .filter((ack) => !findings.some((f) => covers(ack, f)))
    .map((ack) => `${ack.id} on ${ack.path}`);
};
