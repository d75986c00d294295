/** `aws`, or the partition of China and GovCloud Regions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
