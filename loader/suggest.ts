// The constructs' rules suggest names too, so the matching lives in modules/.
export { closest, didYouMean } from '../modules/closest-name';
