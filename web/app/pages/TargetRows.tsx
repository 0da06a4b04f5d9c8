import { inputId } from '../lib/fieldErrors';
import type { ServiceForm } from '../lib/serviceForm';

type Targets = ServiceForm['targets'];

/** The upstream targets as rows of host / port / weight, each input named by its API path. */
export function TargetRows({
  targets,
  errors,
  onChange,
}: {
  targets: Targets;
  errors: Record<string, string[]>;
  onChange: (t: Targets) => void;
}) {
  const update = (i: number, key: keyof Targets[number], value: string) =>
    onChange(targets.map((t, j) => (j === i ? { ...t, [key]: value } : t)));
  const listErrors = errors['upstream.targets'] ?? [];
  return (
    <div className="targets" role="group" aria-labelledby="targets-label">
      <span id="targets-label" className="label">
        Targets
      </span>
      {targets.map((t, i) => (
        <div className="row target" key={i}>
          {(['host', 'port', 'weight'] as const).map((k) => {
            const name = `upstream.targets[${i}].${k}`;
            const id = inputId(name);
            const messages = errors[name] ?? [];
            return (
              <div className={`field${messages.length ? ' invalid' : ''}`} key={k}>
                <label htmlFor={id}>
                  {`${k[0].toUpperCase()}${k.slice(1)}`}
                  <span className="sr-only"> of target {i + 1}</span>
                </label>
                <input
                  id={id}
                  name={name}
                  value={t[k]}
                  className={k === 'host' ? '' : 'short'}
                  inputMode={k === 'host' ? undefined : 'numeric'}
                  aria-invalid={messages.length > 0}
                  aria-describedby={messages.length ? `${id}-error` : undefined}
                  onChange={(e) => update(i, k, e.target.value)}
                />
                {messages.length > 0 && (
                  <span id={`${id}-error`} className="field-error" data-field-error>
                    {messages.join('; ')}
                  </span>
                )}
              </div>
            );
          })}
          <button
            type="button"
            className="ghost"
            aria-label={`Remove target ${i + 1}`}
            onClick={() => onChange(targets.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...targets, { host: '127.0.0.1', port: '', weight: '1' }])}>
        Add target
      </button>
      {listErrors.length > 0 && (
        <span className="field-error" data-field-error>
          {listErrors.join('; ')}
        </span>
      )}
    </div>
  );
}
