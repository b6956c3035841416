/**
 * Names of the stack outputs the command-line tools read, kept apart from the stack so a tool does not load the CDK.
 */
export const VERIFY_OUTPUT = 'VerifyStateMachineArn';
export const VERIFY_REPORTS_OUTPUT = 'VerifyReportsBucketName';
