import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { onUnauthorized, setToken } from '../api/http';
import type { Me } from '../api/types';

interface Session {
  token: string;
  expiresAt: number;
  user: Me;
}

export interface Auth {
  user: Me | null;
  /** Why the last session ended, when it was not the user's choice. */
  endReason: 'expired' | null;
  canWrite: boolean;
  isAdmin: boolean;
  login(username: string, password: string): Promise<void>;
  /**
   * Revokes every token of the user on the core (`POST /auth/logout`: this and every other
   * browser or device), then forgets the session here and in the other tabs.
   */
  logout(): Promise<void>;
}

/**
 * The session lives in localStorage so that a link opened in a new tab stays signed in;
 * tabs follow each other's sign-in and sign-out through the `storage` event. Any script
 * running in the page could read sessionStorage just as well, so localStorage adds no XSS
 * exposure inside a tab; it keeps the token after the browser closes, which the token's
 * own expiry bounds (and sign-out revokes it on the core). The CSP forbids inline and
 * foreign scripts. See docs/security.md.
 */
const STORAGE_KEY = 'fleetgate.session';
const AuthContext = createContext<Auth | null>(null);

function stored(now: number): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return s && s.token && s.expiresAt > now ? s : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(() => {
    const s = stored(Date.now());
    setToken(s?.token ?? null);
    return s;
  });
  const [endReason, setEndReason] = useState<'expired' | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const end = useCallback(
    (reason: 'expired' | null) => {
      setToken(null);
      localStorage.removeItem(STORAGE_KEY);
      setSession(null);
      setEndReason(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  // A 401 on any call: the token expired or was revoked.
  useEffect(() => onUnauthorized(() => sessionRef.current && end('expired')), [end]);

  // Another tab signed in or out.
  useEffect(() => {
    const listener = (e: StorageEvent) => {
      if (e.key !== STORAGE_KEY && e.key !== null) return;
      const next = stored(Date.now());
      if (!next) {
        if (sessionRef.current) end(null);
        return;
      }
      if (next.token !== sessionRef.current?.token) {
        setToken(next.token);
        setEndReason(null);
        setSession(next);
      }
    };
    window.addEventListener('storage', listener);
    return () => window.removeEventListener('storage', listener);
  }, [end]);

  // The token's own expiry, even when the page makes no call.
  useEffect(() => {
    if (!session) return undefined;
    const ms = Math.min(session.expiresAt - Date.now(), 2_147_000_000);
    const timer = setTimeout(() => end('expired'), Math.max(0, ms));
    return () => clearTimeout(timer);
  }, [session, end]);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await endpoints.login(username, password);
    setToken(answer.accessToken);
    let user: Me;
    try {
      user = await endpoints.me();
    } catch (e) {
      setToken(null);
      throw e;
    }
    const next = { token: answer.accessToken, expiresAt: Date.now() + answer.expiresIn * 1000, user };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setEndReason(null);
    setSession(next);
  }, []);

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } catch {
      // Already revoked or expired (401), or the core is unreachable: sign out here anyway.
    }
    end(null);
  }, [end]);

  const value = useMemo<Auth>(() => {
    const roles = session?.user.roles ?? [];
    return {
      user: session?.user ?? null,
      endReason,
      canWrite: roles.includes('admin') || roles.includes('operator'),
      isAdmin: roles.includes('admin'),
      login,
      logout,
    };
  }, [session, endReason, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
