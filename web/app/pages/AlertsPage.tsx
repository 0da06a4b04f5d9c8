import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { Empty, QueryState } from '../components/QueryState';
import { formatNumber } from '../lib/format';
import { ChannelForm, RuleForm } from './AlertForms';

function condition(r: endpoints.AlertRuleView): string {
  if (r.kind === 'event') return `event ${r.eventKind}${r.forSeconds ? ` for ${r.forSeconds}s` : ''}`;
  const labels = Object.entries(r.labels ?? {})
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const agg = r.aggregate && r.aggregate !== 'last' && r.windowSeconds ? `${r.aggregate}(${r.windowSeconds}s) ` : '';
  return `${agg}${r.metric}${labels ? `{${labels}}` : ''} ${r.op} ${formatNumber(r.threshold)}${r.forSeconds ? ` for ${r.forSeconds}s` : ''}`;
}

/**
 * Alert rules (create and edit: operators), notification channels (create and edit: admins; "send
 * test") and the message template preview.
 */
export default function AlertsPage() {
  const { canWrite, isAdmin } = useAuth();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ['alerts', 'rules'], queryFn: endpoints.alertRules });
  const channels = useQuery({ queryKey: ['alerts', 'channels'], queryFn: endpoints.alertChannels });
  const types = useQuery({
    queryKey: ['alerts', 'channel-types'],
    queryFn: endpoints.alertChannelTypes,
    enabled: isAdmin,
  });
  /** The rule / channel being edited: its id, 'new', or null. */
  const [editRule, setEditRule] = useState<string | null>(null);
  const [editChannel, setEditChannel] = useState<string | null>(null);
  const saved = async (what: string) => {
    await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    setNotice(`${what} saved.`);
  };
  const [notice, setNotice] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const [channelType, setChannelType] = useState('telegram');
  const [event, setEvent] = useState('opened');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<{ text?: string; error?: string } | null>(null);

  const test = async (id: string) => {
    setTested((t) => ({ ...t, [id]: 'sending…' }));
    try {
      const r = await endpoints.testAlertChannel(id);
      setTested((t) => ({ ...t, [id]: r.ok ? 'sent' : `failed: ${r.error}` }));
    } catch (e) {
      setTested((t) => ({ ...t, [id]: `failed: ${(e as Error).message}` }));
    }
  };

  const render = async () => {
    try {
      const r = await endpoints.previewTemplate({ channelType, event, ...(body.trim() ? { body } : {}) });
      setPreview({ text: r.text });
    } catch (e) {
      const errors = e instanceof ApiError ? e.errors.map((x) => x.message).join('; ') : '';
      setPreview({ error: errors || (e as Error).message });
    }
  };

  return (
    <section aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">Alerts</h1>
      </div>
      {notice && (
        <p className="notice info" role="status">
          {notice}
        </p>
      )}
      <QueryState what="alert rules" pending={rules.isPending} error={rules.error} module="alerts">
        <section aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          {canWrite && editRule === null && (
            <button
              type="button"
              onClick={() => {
                setNotice(null);
                setEditRule('new');
              }}
            >
              New rule
            </button>
          )}
          {editRule !== null && (
            <RuleForm
              key={editRule}
              rule={rules.data?.find((r) => r.id === editRule)}
              channels={channels.data ?? []}
              onSaved={(r) => {
                setEditRule(null);
                void saved(`Rule ${r.name}`);
              }}
              onCancel={() => setEditRule(null)}
            />
          )}
          {(rules.data ?? []).length === 0 ? (
            <Empty>No rule.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Condition</th>
                  <th scope="col">Severity</th>
                  <th scope="col">On</th>
                  <th scope="col">Channels</th>
                  {canWrite && <th scope="col">Edit</th>}
                </tr>
              </thead>
              <tbody>
                {rules.data!.map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.name}
                      {r.builtin && <span className="muted small"> built-in</span>}
                    </td>
                    <td>
                      <code>{condition(r)}</code>
                    </td>
                    <td>
                      <Badge value={r.severity} />
                    </td>
                    <td>{r.enabled ? 'yes' : 'no'}</td>
                    <td>
                      {r.channelIds.map((c) => channels.data?.find((x) => x.id === c)?.name ?? c).join(', ') || '—'}
                    </td>
                    {canWrite && (
                      <td>
                        <button
                          type="button"
                          aria-label={`Edit rule ${r.name}`}
                          onClick={() => {
                            setNotice(null);
                            setEditRule(r.id);
                          }}
                        >
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </QueryState>
      <section aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        {isAdmin && editChannel === null && (
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setEditChannel('new');
            }}
          >
            New channel
          </button>
        )}
        {editChannel !== null && (
          <ChannelForm
            key={editChannel}
            channel={channels.data?.find((c) => c.id === editChannel)}
            types={types.data ?? []}
            onSaved={(c) => {
              setEditChannel(null);
              void saved(`Channel ${c.name}`);
            }}
            onCancel={() => setEditChannel(null)}
          />
        )}
        <QueryState what="channels" pending={channels.isPending} error={channels.error} module="alerts">
          {(channels.data ?? []).length === 0 ? (
            <Empty>No channel: an admin adds one here (or with `POST /api/v1/alerts/channels`).</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Rate</th>
                  <th scope="col">Test</th>
                </tr>
              </thead>
              <tbody>
                {channels.data!.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.name}
                      {!c.enabled && <span className="muted small"> disabled</span>}
                    </td>
                    <td>{c.type}</td>
                    <td>
                      {c.ratePerMinute}/min{c.blockedUntil && <span className="muted small"> paused</span>}
                    </td>
                    <td>
                      {canWrite && (
                        <button type="button" onClick={() => test(c.id)}>
                          Send test
                        </button>
                      )}{' '}
                      {isAdmin && (
                        <button
                          type="button"
                          aria-label={`Edit channel ${c.name}`}
                          onClick={() => {
                            setNotice(null);
                            setEditChannel(c.id);
                          }}
                        >
                          Edit
                        </button>
                      )}{' '}
                      {tested[c.id] && <span role="status">{tested[c.id]}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">Template preview</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void render();
          }}
        >
          <label>
            Channel type{' '}
            <select value={channelType} onChange={(e) => setChannelType(e.target.value)}>
              <option value="telegram">telegram</option>
              <option value="email">email</option>
              <option value="webhook">webhook</option>
            </select>
          </label>{' '}
          <label>
            Event{' '}
            <select value={event} onChange={(e) => setEvent(e.target.value)}>
              <option value="opened">opened</option>
              <option value="resolved">resolved</option>
              <option value="repeat">repeat</option>
            </select>
          </label>
          <label className="block">
            Template (mustache; empty: the one in effect)
            <textarea rows={6} value={body} maxLength={20000} onChange={(e) => setBody(e.target.value)} />
          </label>
          <button type="submit">Preview</button>
        </form>
        {preview?.text !== undefined && <pre aria-label="preview">{preview.text}</pre>}
        {preview?.error && (
          <p role="alert" className="notice error">
            {preview.error}
          </p>
        )}
      </section>
    </section>
  );
}
