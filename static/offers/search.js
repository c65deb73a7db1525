/* Search form enhancement: apply a filter or sort order as soon as it is chosen. Without
   JavaScript the "Apply filters" button does the same. */
(function () {
  'use strict';
  document.querySelectorAll('form[data-auto-submit]').forEach(function (form) {
    form.classList.add('auto-submit');
    form.addEventListener('change', function (event) {
      if (event.target.matches('input[type="checkbox"], select')) {
        form.submit();
      }
    });
  });
})();
