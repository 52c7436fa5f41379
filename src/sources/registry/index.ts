export { openRegistryImage } from './image.js';
export { parseReference, displayName, type ImageReference } from '../../core/image-reference.js';
