#!/usr/bin/env bash
# shellcheck disable=SC2016 # the --query arguments are JMESPath, whose `literals` reach the AWS CLI unexpanded
# Organization mode, accepted on a test organization (docs/organization.md#acceptance-on-a-test-organization):
# synthesize, deploy, wait for the stack instances, check each account's rules and the aggregator's
# stored queries, move an account into the OU to prove automatic deployment, move it back, tear down.
#
#   scripts/acceptance-organization.sh --organization-id o-… --ou ou-… --member 111111111111 \
#     --joiner 222222222222 --regions us-east-1,eu-west-1 --management-profile mgmt [--dry-run]
#
# Run with credentials for the central account (the StackSets delegated administrator) in the home
# Region, the first of --regions. --dry-run prints every AWS CLI and CDK call it would make, one a
# line, and calls nothing; --assembly DIR reads the names from an assembly synthesized already.
set -euo pipefail

usage() {
  sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

DRY_RUN=false
ASSEMBLY=""
MEMBER_ROLE=OrganizationAccountAccessRole
CALL_AS=DELEGATED_ADMIN
WAIT_SECONDS=1800
ORGANIZATION_ID="" OU="" MEMBER="" JOINER="" REGIONS="" MANAGEMENT_PROFILE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --organization-id) ORGANIZATION_ID="$2"; shift 2 ;;
    --ou) OU="$2"; shift 2 ;;
    --member) MEMBER="$2"; shift 2 ;;
    --joiner) JOINER="$2"; shift 2 ;;
    --regions) REGIONS="$2"; shift 2 ;;
    --management-profile) MANAGEMENT_PROFILE="$2"; shift 2 ;;
    --member-role) MEMBER_ROLE="$2"; shift 2 ;;
    --call-as) CALL_AS="$2"; shift 2 ;;
    --wait-seconds) WAIT_SECONDS="$2"; shift 2 ;;
    --assembly) ASSEMBLY="$2"; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    -h | --help) usage ;;
    *) echo "acceptance-organization: unknown argument $1" >&2; usage ;;
  esac
done
for required in ORGANIZATION_ID OU MEMBER JOINER REGIONS MANAGEMENT_PROFILE; do
  if [[ -z "${!required}" ]]; then
    echo "acceptance-organization: --$(tr '[:upper:]_' '[:lower:]-' <<<"$required") is required" >&2
    usage
  fi
done
IFS=, read -r -a REGION_LIST <<<"$REGIONS"
HOME_REGION="${REGION_LIST[0]}"
CONTEXT=(-c deployment=organization -c "regions=$REGIONS" -c "organizationId=$ORGANIZATION_ID" -c "targetOus=$OU" -c "callAs=$CALL_AS")

# Every AWS and CDK call goes through here: printed in a dry run (shell-quoted, one a line, on the
# script's standard output even inside $(…)), run otherwise.
exec 4>&1
call() {
  if $DRY_RUN; then
    { printf '%q ' "$@" | sed 's/ $//'; echo; } >&4
  else
    "$@"
  fi
}

# A call whose output the script reads; a dry run answers with the placeholder given first.
read_call() {
  local placeholder="$1"
  shift
  call "$@"
  if $DRY_RUN; then echo "$placeholder"; fi
}

fail() {
  echo "acceptance-organization: FAILED: $*" >&2
  exit 1
}

# 1. Synthesize once: the names checked below are read from the assembly that is deployed.
if [[ -z "$ASSEMBLY" ]]; then
  ASSEMBLY=cdk.out.acceptance
  call npx cdk synth --quiet -o "$ASSEMBLY" "${CONTEXT[@]}"
fi
names() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [dir, type, property] = process.argv.slice(1);
    const found = new Set();
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".json"))) {
      const resources = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).Resources ?? {};
      for (const resource of Object.values(resources)) if (resource.Type === type) found.add(resource.Properties[property]);
    }
    console.log([...found].join("\n"));
  ' "$ASSEMBLY" "$@"
}
if $DRY_RUN && [[ ! -d "$ASSEMBLY" ]]; then
  fail "a dry run reads the names from an assembly: pass --assembly DIR (npx cdk synth -o DIR ${CONTEXT[*]})"
fi
mapfile -t RULES < <(names AWS::Config::ConfigRule ConfigRuleName)
mapfile -t QUERIES < <(names AWS::Config::StoredQuery QueryName)
STACK_SET=$(names AWS::CloudFormation::StackSet StackSetName)
AGGREGATOR=$(names AWS::Config::ConfigurationAggregator ConfigurationAggregatorName)
[[ ${#RULES[@]} -gt 0 && -n "$STACK_SET" && -n "$AGGREGATOR" ]] || fail "no rules, StackSet or aggregator in $ASSEMBLY"

# Whatever fails after the deploy, the joiner goes back to its parent and the stacks are destroyed.
JOINER_MOVED=false
teardown() {
  local status=$?
  trap - EXIT
  if $JOINER_MOVED; then
    call aws organizations move-account --account-id "$JOINER" --source-parent-id "$OU" --destination-parent-id "$PARENT" --profile "$MANAGEMENT_PROFILE"
  fi
  call npx cdk destroy --all --app "$ASSEMBLY" --force
  if call aws cloudformation describe-stack-set --stack-set-name "$STACK_SET" --call-as "$CALL_AS" --region "$HOME_REGION" >/dev/null 2>&1 && ! $DRY_RUN; then
    echo "acceptance-organization: StackSet $STACK_SET still exists after cdk destroy" >&2
    status=1
  fi
  exit "$status"
}

# 2. Deploy what was synthesized: the bucket stacks, the code, then the StackSet stack.
trap teardown EXIT
call npx cdk deploy --all --app "$ASSEMBLY" --require-approval never

# 3. Every stack instance of an account CURRENT in every Region, within WAIT_SECONDS.
wait_for_instances() {
  local account="$1" deadline=$((SECONDS + WAIT_SECONDS)) current
  while true; do
    current=$(read_call "${#REGION_LIST[@]}" aws cloudformation list-stack-instances --stack-set-name "$STACK_SET" --call-as "$CALL_AS" \
      --stack-instance-account "$account" --region "$HOME_REGION" \
      --query 'length(Summaries[?StackInstanceStatus.DetailedStatus==`SUCCEEDED` && Status==`CURRENT`])' --output text)
    [[ "$current" == "${#REGION_LIST[@]}" ]] && return 0
    ((SECONDS < deadline)) || fail "account $account: $current of ${#REGION_LIST[@]} stack instances CURRENT after ${WAIT_SECONDS}s"
    sleep 30
  done
}

# 4. In a member account: every rule of the assembly exists in every Region (as the member role).
check_rules() {
  local account="$1" credentials
  credentials=$(read_call "AKIA… secret… token…" aws sts assume-role --role-arn "arn:aws:iam::$account:role/$MEMBER_ROLE" \
    --role-session-name ecs-config-rules-acceptance --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  read -r key secret token <<<"$credentials"
  for region in "${REGION_LIST[@]}"; do
    local found
    found=$(AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token" \
      read_call "${#RULES[@]}" aws configservice describe-config-rules --config-rule-names "${RULES[@]}" --region "$region" \
      --query 'length(ConfigRules[?ConfigRuleState==`ACTIVE`])' --output text)
    [[ "$found" == "${#RULES[@]}" ]] || fail "account $account, $region: $found of ${#RULES[@]} rules ACTIVE"
  done
}

# 5. The aggregator runs every stored query (an empty result is fine: the query itself must be valid).
check_queries() {
  for query in "${QUERIES[@]}"; do
    local expression
    expression=$(read_call "SELECT accountId" aws configservice get-stored-query --query-name "$query" --region "$HOME_REGION" \
      --query StoredQuery.Expression --output text)
    call aws configservice select-aggregate-resource-config --configuration-aggregator-name "$AGGREGATOR" \
      --expression "$expression" --region "$HOME_REGION" >/dev/null
  done
}

wait_for_instances "$MEMBER"
check_rules "$MEMBER"
check_queries

# 6. Automatic deployment: the joiner, outside the OU, gets the fleet once it moves in.
PARENT=$(read_call "r-dryrun" aws organizations list-parents --child-id "$JOINER" --profile "$MANAGEMENT_PROFILE" \
  --query 'Parents[0].Id' --output text)
[[ "$PARENT" != "$OU" ]] || fail "--joiner $JOINER is already in $OU: pick an account outside it"
call aws organizations move-account --account-id "$JOINER" --source-parent-id "$PARENT" --destination-parent-id "$OU" --profile "$MANAGEMENT_PROFILE"
JOINER_MOVED=true
wait_for_instances "$JOINER"
check_rules "$JOINER"

# 7. Tear down (teardown, on exit): the joiner back to its parent, the stacks, then no StackSet is left.
echo "acceptance-organization: PASSED (${#RULES[@]} rules in ${#REGION_LIST[@]} Regions, ${#QUERIES[@]} stored queries, $JOINER auto-deployed); tearing down" >&2
