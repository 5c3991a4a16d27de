/** Settings → Models: providers, keys and connection tests. What src/app composes. */
import './models.css';

export { ModelsPanel } from './ModelsPanel';
