/* The language tabs of an entry's translated fields switch together: choosing "ar" above
   the name shows the Arabic tab of every other field too (name, descriptions, schedule,
   costs), so that a translator works through one language at a time. The tabs are
   modeltranslation's (jQuery UI); a click on one tab clicks the same language's tab of
   every other field. */
(function () {
  'use strict';
  let syncing = false;

  function language(link) {
    return link.textContent.trim();
  }

  document.addEventListener('click', function (event) {
    const link = event.target.closest && event.target.closest('.ui-tabs-nav a');
    if (!link || syncing) {
      return;
    }
    syncing = true;
    try {
      document.querySelectorAll('.ui-tabs-nav a').forEach(function (other) {
        const tab = other.closest('li');
        if (other !== link && language(other) === language(link) && !tab.classList.contains('ui-tabs-active')) {
          other.click();
        }
      });
    } finally {
      syncing = false;
    }
  });
})();
