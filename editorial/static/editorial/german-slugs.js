// Slugs as Germans write them: the admin fills a slug from the name with Django's URLify,
// which drops the umlaut's dots ("Nähtreff" → "nahtreff", a different word). Umlauts are
// written out first (ä → ae), the rule content.text.german_slug() applies on the server.
// URLify is looked up by the admin's prepopulate script at each keystroke, so wrapping the
// global is enough; this file is listed after urlify.js in ContentAdmin's media.
'use strict';
{
    const urlify = window.URLify;
    if (urlify) {
        const umlauts = {ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue'};
        window.URLify = function(text, maxLength, allowUnicode) {
            const written = allowUnicode ? text : text.replace(/[äöüÄÖÜ]/g, (c) => umlauts[c]);
            return urlify(written, maxLength, allowUnicode);
        };
    }
}
