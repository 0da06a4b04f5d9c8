import { useSearchParams } from 'react-router-dom';
import { RANGES, rangeByKey, type Range } from '../lib/metrics';

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

/** A page's chart range, kept in its URL (`?range=`), and the setter of its key. */
export function useRangeParam(): [Range, (key: string) => void] {
  const [params, setParams] = useSearchParams();
  return [rangeByKey(params.get('range')), (key) => setParams({ range: key }, { replace: true })];
}

/** The heading of a page's charts with the range picker. */
export function ChartsHead({
  title,
  range,
  onChange,
}: {
  title: string;
  range: Range;
  onChange: (key: string) => void;
}) {
  return (
    <div className="page-head">
      <h2>{title}</h2>
      <RangePicker value={range} onChange={onChange} />
    </div>
  );
}
