import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { applyTheme, initialTheme, type Theme } from '../lib/theme';

export function Layout({ children }: { children: ReactNode }) {
  const { user, isAdmin, canWrite, logout } = useAuth();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Phone width: the navigation and the session controls fold behind a Menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.pathname]);

  useEffect(() => applyTheme(theme), [theme]);

  // After client-side navigation, move focus to the new page's content (as a page load would).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const toggle = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next, true);
    setTheme(next);
  };

  const links: [string, string][] = [
    ['/', 'Overview'],
    ['/hosts', 'Hosts'],
    ['/services', 'Services'],
    ['/logs', 'Logs'],
    ['/dns', 'DNS'],
    ['/monitors', 'Monitors'],
    ['/certificates', 'Certificates'],
    ['/pages', 'Pages'],
    ['/incidents', 'Incidents'],
    ['/modules', 'Modules'],
  ];
  if (canWrite) links.push(['/activity', 'Activity']);
  if (isAdmin) links.push(['/enrol', 'Enrol a host'], ['/users', 'Users']);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className={`topbar${menuOpen ? ' menu-open' : ''}`}>
        <span className="brand">Fleetgate</span>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <nav aria-label="Main" id="main-nav">
          <ul>
            {links.map(([to, text]) => (
              <li key={to}>
                <NavLink to={to} end={to === '/'}>
                  {text}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <button
            type="button"
            className="ghost"
            onClick={toggle}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <NavLink className="user" to="/account" title={`Your account (${user?.roles.join(', ')})`}>
            {user?.username} <small>({user?.roles[0] ?? 'no role'})</small>
          </NavLink>
          <button type="button" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
