/**
 * Why the App must not start with this environment, or null when it may. In production a missing
 * `WEBHOOK_SECRET` is fatal: Probot would fall back to the well-known secret "development", and
 * anyone could then send forged webhooks that the App would act on. The environment is passed in,
 * so the rule stays pure and testable.
 */
export function checkStartupEnvironment(env: Readonly<Record<string, string | undefined>>): string | null {
  if (env.NODE_ENV !== "production") return null;
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret.trim() !== "" && secret !== "development") return null;
  const found = secret.trim() === "" ? "is not set" : 'is "development", Probot\'s public default';
  return (
    `gitops-bot refuses to start: WEBHOOK_SECRET ${found} and NODE_ENV is production. ` +
    'Without it Probot would accept webhooks signed with the public secret "development", so anyone could forge events. ' +
    "Set WEBHOOK_SECRET to the webhook secret in the GitHub App's settings (see .env.example and docs/github-app.md)."
  );
}
