/** The dashboard page (/dashboard): every widget runs its own operation against the gateway. */
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './dashboard.css';

createRoot(document.getElementById('dashboard')!).render(<App />);
