/** What a live scan across accounts and Regions covers, and its usage errors: checked before the AWS SDK is loaded. */

export interface FleetSelection {
  /** Explicit Regions; with none and no `allRegions`, the SDK's default Region. */
  readonly regions?: readonly string[];
  readonly allRegions?: boolean;
  /** The role to assume in each account; none: the caller's own account with its own credentials. */
  readonly roleName?: string;
  readonly accounts?: readonly string[];
  readonly organization?: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The usage errors of the fleet options, before any call is made. */
export function checkFleetOptions(options: FleetSelection): string | undefined {
  if (options.allRegions && options.regions !== undefined) return '--all-regions and --regions/--region exclude each other';
  if (options.accounts !== undefined && options.organization) return '--accounts and --organization exclude each other';
  if ((options.accounts !== undefined || options.organization) && options.roleName === undefined) return '--accounts and --organization need --role-name: the role to assume in each account';
  if (options.roleName !== undefined && options.accounts === undefined && !options.organization) return '--role-name goes with --accounts or --organization';
  const badAccount = options.accounts?.find((account) => !ACCOUNT_ID.test(account));
  if (badAccount !== undefined) return `--accounts takes 12-digit account ids, got "${badAccount}"`;
  if (options.accounts?.length === 0 || options.regions?.length === 0) return '--accounts and --regions need at least one value';
  return undefined;
}

