/* Search form enhancement: apply a filter or sort order as soon as it is chosen. Without
   JavaScript the "Apply filters" button does the same. */
(function () {
  'use strict';
  // Sending the form loads a new page, which would put keyboard and screen-reader users
  // back at its top after every filter. The control they changed gets the focus again.
  const FOCUS_KEY = 'offer-search-focus';

  function takeRememberedFocus() {
    try {
      const remembered = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || 'null');
      sessionStorage.removeItem(FOCUS_KEY);
      return remembered && remembered.path === window.location.pathname ? remembered.id : null;
    } catch (error) {
      return null; // storage blocked: nothing to restore
    }
  }

  function rememberFocus(control) {
    try {
      sessionStorage.setItem(
        FOCUS_KEY,
        JSON.stringify({ id: control.id, path: window.location.pathname })
      );
    } catch (error) {
      // storage blocked: the search works all the same
    }
  }

  function restoreFocus(form, id) {
    const control = id && document.getElementById(id);
    if (!control || !form.contains(control)) {
      return;
    }
    // A facet whose last value was switched off comes back closed: focus its summary.
    const details = control.closest('details');
    const target = details && !details.open ? details.querySelector('summary') : control;
    target.focus();
  }

  // Long facet lists scroll: bring the first ticked value of each into sight.
  function showTickedValues(form) {
    form.querySelectorAll('.facet ul').forEach(function (list) {
      const ticked = list.querySelector('input:checked');
      if (!ticked || list.scrollHeight <= list.clientHeight) {
        return;
      }
      const item = ticked.closest('li').getBoundingClientRect();
      const box = list.getBoundingClientRect();
      if (item.top < box.top || item.bottom > box.bottom) {
        list.scrollTop += item.top - box.top - (list.clientHeight - item.height) / 2;
      }
    });
  }

  const rememberedId = takeRememberedFocus();
  document.querySelectorAll('form[data-auto-submit]').forEach(function (form) {
    form.classList.add('auto-submit');
    showTickedValues(form);
    restoreFocus(form, rememberedId);
    form.addEventListener('change', function (event) {
      if (event.target.matches('input[type="checkbox"], select')) {
        rememberFocus(event.target);
        form.submit();
      }
    });
  });
})();
