/** Model-backed assistance on the Spec tab ("Suggest ratings"). What src/app composes. */
import './assist.css';

export { RatingAssistant } from './RatingAssistant';
