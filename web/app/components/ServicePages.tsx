import { useState } from 'react';
import type { Service } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { PageEditor } from './PageEditor';

/**
 * A service's own error and maintenance pages (module pages), on its page: closed until asked for, then the fleet
 * page editor on /services/{id}/pages with the service's name and domain in the preview.
 */
export function ServicePages({ service }: { service: Service }) {
  const { canWrite } = useAuth();
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="service-pages-title">
      <div className="page-head">
        <h2 id="service-pages-title">Error pages</h2>
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Close the pages' : canWrite ? 'Edit pages' : 'Show pages'}
        </button>
      </div>
      {open && (
        <PageEditor
          base={`/services/${encodeURIComponent(service.id)}/pages`}
          own="service"
          resetTo="the fleet-wide page"
          sample={{ service: service.name, domain: service.domains[0] }}
        />
      )}
    </section>
  );
}
