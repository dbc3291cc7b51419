// Lets plain Node run this repo's TypeScript scripts (npm start, npm run emulator): Node strips
// the types itself; this maps the `.js` specifiers that NodeNext requires onto the `.ts` sources.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
