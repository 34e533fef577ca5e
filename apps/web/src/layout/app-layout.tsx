import { NavLink, Outlet, ScrollRestoration } from 'react-router';
import { LogoutButton } from '../auth/logout-button';
import { ThemeToggle } from '../theme/theme-toggle';
import { ConnectionIndicator } from './connection-indicator';
import { NotificationBell } from '../notifications/notification-bell';
import '../styles/layout.css';

const NAV = [
  { to: '/', label: 'Jobs', end: true },
  { to: '/queues', label: 'Queues', end: false },
  { to: '/sources', label: 'Sources', end: false },
  { to: '/notifications', label: 'Notifications', end: false },
] as const;

export function AppLayout() {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <NavLink to="/" className="brand" aria-label="ScriptHut home">
            <img src="/favicon.svg" alt="" width="22" height="22" />
            <span>ScriptHut</span>
          </NavLink>
          <nav aria-label="Main" className="main-nav">
            {NAV.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end} className="main-nav__link">
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="app-header__tools">
            <ConnectionIndicator />
            <NotificationBell />
            <ThemeToggle />
            <LogoutButton />
          </div>
        </div>
      </header>
      <main id="main" className="app-main">
        <Outlet />
      </main>
      <ScrollRestoration />
    </div>
  );
}
