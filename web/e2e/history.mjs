// Service history in the browser (issue 18), run by WebE2EIT.serviceHistoryInABrowser with the
// environment of e2e/round.mjs. A service created through the API on the e2e upstream, then pointed
// at a port where nothing listens (its domain answers 502 through the agent's nginx); on its page
// the History lists both revisions, "Changes" shows the port lines, "Roll back to this" (confirmed)
// says "Rolled back to revision 1: now revision 3." and the agent's nginx answers 200 again. Deleted,
// the service is listed under "Recently deleted"; restoring revision 3 from its page brings it back.
// Screenshot service-history. Last line: `E2E-RESULT {json}`.
import { apiClient, check, hit, openPage, settings, shotName, until, walk } from './lib.mjs';

const S = settings();
const { base: BASE, user: USER, password: PASSWORD, agent: AGENT, targetPort: TARGET_PORT } = S;
const DEAD_PORT = Number(process.env.E2E_DEAD_PORT ?? TARGET_PORT + 5);
const PROXY_PORT = Number(process.env.E2E_PROXY_PORT ?? 80);
const NAME = `e2e-history-${Date.now().toString(36)}`;
const DOMAIN = `${NAME}.e2e.test`;

const problems = [];
let token = null;
let serviceId = null;

const api = apiClient(BASE, () => token);
const { browser, page, shot } = await openPage(S.timeout, problems, S.shots);
const { notes, step, finish } = walk({
  browser,
  failureShot: (name) => shot(`failure-history-${shotName(name)}`),
  cleanUp: async () => {
    if (serviceId) await api(`/api/v1/services/${serviceId}`, { method: 'DELETE' }).catch(() => undefined);
  },
});

const body = (port) => ({
  name: NAME,
  domains: [DOMAIN],
  agentIds: [agentId],
  upstream: { targets: [{ host: '127.0.0.1', port }] },
});
let agentId = null;

await step('sign in; a service served, then pointed at a dead port (502)', async () => {
  // the web bundle may be mounted a moment after the REST host (a loaded machine): wait for the app
  await until('the web admin served', async () => (await fetch(`${BASE}/login`)).status === 200);
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const login = await api('/api/v1/auth/login', { method: 'POST', body: { username: USER, password: PASSWORD } });
  check(login.status === 200, `API login ${login.status}`);
  token = login.json.accessToken;
  agentId = (await api('/api/v1/agents')).json.find((a) => a.name === AGENT)?.id;
  check(agentId, `no agent named ${AGENT}`);
  const created = await api('/api/v1/services', { method: 'POST', body: body(TARGET_PORT) });
  check(created.status === 201, `create ${created.status} ${JSON.stringify(created.json)}`);
  serviceId = created.json.id;
  await until('the service answering 200 through nginx', async () => (await hit(PROXY_PORT, DOMAIN)) === 200);
  const updated = await api(`/api/v1/services/${serviceId}`, { method: 'PUT', body: body(DEAD_PORT) });
  check(updated.status === 200 && updated.json.revision === 2, `update ${updated.status}`);
  await until('the dead target answering 502 through nginx', async () => (await hit(PROXY_PORT, DOMAIN)) === 502);
});

await step('the history lists both revisions and the changes a rollback would make', async () => {
  await page.goto(`${BASE}/services/${serviceId}`);
  await page.getByRole('button', { name: 'Show history' }).click();
  const row1 = page.getByTestId('revision-1');
  await row1.waitFor();
  const text1 = await row1.textContent();
  check(/admin/.test(text1) && /created/.test(text1) && !/to revision/.test(text1), `revision 1: ${text1}`);
  check(/\(current\)/.test(await page.getByTestId('revision-2').textContent()), 'revision 2 is not marked current');
  await row1.getByRole('button', { name: 'Changes' }).click();
  const diff = page.getByTestId('diff');
  await diff.waitFor();
  const del = await diff.locator('.del').allTextContents();
  const add = await diff.locator('.add').allTextContents();
  check(del.length === 1 && del[0].includes(`"port": ${DEAD_PORT}`), `removed lines ${JSON.stringify(del)}`);
  check(add.length === 1 && add[0].includes(`"port": ${TARGET_PORT}`), `added lines ${JSON.stringify(add)}`);
  await shot('service-history');
});

await step('roll back to revision 1 (confirmed): a new revision, and nginx serves the old target again', async () => {
  const row1 = page.getByTestId('revision-1');
  await row1.getByRole('button', { name: 'Roll back to this' }).click();
  await row1.getByRole('button', { name: 'Yes, restore revision 1' }).click();
  await page.getByText('Rolled back to revision 1: now revision 3.').waitFor();
  await page.getByTestId('revision-3').waitFor();
  check(
    /rolled back to revision 1/.test(await page.getByTestId('revision-3').textContent()),
    'revision 3 is not the rollback',
  );
  const s = (await api(`/api/v1/services/${serviceId}`)).json;
  check(
    s.revision === 3 && s.upstream.targets[0].port === TARGET_PORT,
    `service after rollback ${JSON.stringify(s.upstream)}`,
  );
  await until(
    'the rolled-back service answering 200 through nginx',
    async () => (await hit(PROXY_PORT, DOMAIN)) === 200,
  );
  await until('the agent reporting revision 3 applied', async () =>
    (await api(`/api/v1/services/${serviceId}/status`)).json.agents.every(
      (a) => a.state === 'APPLIED' && a.appliedRevision === 3,
    ),
  );
  notes.push('rollback applied on the agent: 502 → 200');
});

await step('delete it, find it under Recently deleted and restore it: nginx serves it again', async () => {
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await page.getByRole('heading', { name: 'Services', exact: true }).waitFor();
  await until('the deleted service gone from nginx', async () => (await hit(PROXY_PORT, DOMAIN)) !== 200);
  await page.getByRole('button', { name: 'Show deleted' }).click();
  await page.getByTestId(`deleted-${serviceId}`).getByRole('link', { name: NAME }).click();
  await page.getByTestId('deleted-service').waitFor();
  check(/deleted/.test(await page.getByTestId('revision-4').textContent()), 'revision 4 is not the deletion');
  const row3 = page.getByTestId('revision-3');
  await row3.getByRole('button', { name: 'Restore this revision' }).click();
  await row3.getByRole('button', { name: 'Yes, restore the service as revision 3' }).click();
  await page.getByRole('link', { name: 'Edit' }).waitFor();
  const s = (await api(`/api/v1/services/${serviceId}`)).json;
  check(s.revision === 5 && s.upstream.targets[0].port === TARGET_PORT, `service after restore ${JSON.stringify(s)}`);
  await until('the restored service answering 200 through nginx', async () => (await hit(PROXY_PORT, DOMAIN)) === 200);
  notes.push('deleted, restored from its history: 200 again');
});

await step('no page errors', async () => {
  check(problems.length === 0, problems.join('\n'));
});

await finish(true);
