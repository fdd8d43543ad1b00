/**
 * The offline explorer: GraphiQL bundled from npm, so it works without internet. Queries go
 * over HTTP, subscriptions over graphql-ws, both with a dev token outside production.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { ExplorerPage } from './ExplorerPage.tsx';

createRoot(document.getElementById('explorer')!).render(<ExplorerPage />);
