// A story's address from its headline, as the server makes it
// (assets.text.ascii_slug): "đ" → "d", tones stripped, never a letter
// dropped, dashes between words kept. Wagtail's own slug script folds with
// a table that knows "đ" as Serbian "dj" and drops Vietnamese vowels with
// a dot below ("Kho bạc: thu chi đảm bảo" → "kho-bc-thu-chi-djm-bo"): its
// controller is taken over here, Vietnamese folded before it cleans.
(() => {
  const app = window.wagtail && window.wagtail.app;
  if (!app || !app.router) return;
  const fold = (value) =>
    String(value || '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/\u00a0/g, ' ')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '');
  ['w-clean', 'w-slug'].forEach((identifier) => {
    const module = app.router.modulesByIdentifier.get(identifier);
    if (!module) return;
    const Wagtails = module.definition.controllerConstructor;
    if (Wagtails.foldsVietnamese) return;
    class VietnameseSlugController extends Wagtails {
      static foldsVietnamese = true;

      prepareValue(value, options) {
        return super.prepareValue(fold(value), options);
      }
    }
    app.register(identifier, VietnameseSlugController);
  });
})();
