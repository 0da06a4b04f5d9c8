import type { ReactNode } from 'react';
import { inputId } from '../lib/fieldErrors';

interface Props {
  /** The API field path this input shows errors for, e.g. `upstream.targets[1].port`. */
  name: string;
  label: ReactNode;
  errors?: Record<string, string[]>;
  hint?: ReactNode;
  children: (props: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** Label, input and the errors the API (or the form) gave for that input. */
export function Field({ name, label, errors, hint, children }: Props) {
  const id = inputId(name);
  const messages = errors?.[name] ?? [];
  const describedBy = [hint ? `${id}-hint` : null, messages.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${messages.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': messages.length > 0, 'aria-describedby': describedBy || undefined })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {messages.length > 0 && <FieldMessages id={`${id}-error`} messages={messages} />}
    </div>
  );
}

export function FieldMessages({ id, messages }: { id: string; messages: string[] }) {
  return (
    <span id={id} className="field-error" data-field-error>
      {messages.join('; ')}
    </span>
  );
}
