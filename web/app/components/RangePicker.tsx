import { RANGES, type Range } from '../lib/metrics';

export function RangePicker({ value, onChange }: { value: Range; onChange: (key: string) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.key} type="button" aria-pressed={r.key === value.key} onClick={() => onChange(r.key)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}
