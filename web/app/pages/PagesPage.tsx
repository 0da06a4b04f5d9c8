import { PageEditor } from '../components/PageEditor';
import { useTitle } from '../lib/title';

export type { PageTemplate } from '../components/PageEditor';

/** The fleet-wide error and maintenance pages: pick a status, edit its mustache template, see it live. */
export default function PagesPage() {
  useTitle('Pages');
  return (
    <section aria-labelledby="pages-title">
      <div className="page-head">
        <h1 id="pages-title">Pages</h1>
      </div>
      <PageEditor base="/pages" own="default" resetTo="the shipped page" />
    </section>
  );
}
