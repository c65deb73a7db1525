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

  // Wide screens show the filters beside the results and apply each change at once; phones
  // fold them behind "Filter (N)" and apply them all with "Show N offers" (the layout's
  // breakpoint in portal.css).
  const wide = window.matchMedia('(min-width: 56rem)');

  function keepFiltersOpenWhenWide(form) {
    const panel = form.querySelector('details.filters');
    if (!panel) {
      return;
    }
    const follow = function () {
      if (wide.matches) {
        panel.open = true;
      }
    };
    follow();
    wide.addEventListener('change', follow);
  }

  // On a phone a ticked box sends nothing yet: the toggle counts the chosen values and the
  // button says how many offers they would show (read from the page the server renders for
  // them, so the number and its plural form are the server's).
  let countRequest = 0;
  function updatePhoneCounts(form) {
    const chosen = form.querySelectorAll('.facet input[type="checkbox"]:checked').length;
    const toggleCount = form.querySelector('.filters__toggle .count');
    const toggle = form.querySelector('.filters__toggle');
    if (toggle) {
      if (toggleCount) {
        toggleCount.textContent = chosen ? '(' + chosen + ')' : '';
      } else if (chosen) {
        const count = document.createElement('span');
        count.className = 'count';
        count.textContent = '(' + chosen + ')';
        toggle.append(' ', count);
      }
    }
    const apply = form.querySelector('.apply');
    if (!apply) {
      return;
    }
    const request = ++countRequest;
    const address = form.action.split('#')[0] + '?' + new URLSearchParams(new FormData(form));
    fetch(address, { headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(response.statusText));
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('.apply');
        if (fresh && request === countRequest) {
          apply.textContent = fresh.textContent;
        }
      })
      .catch(function () {
        // offline or refused: the button still applies the filters, with the old number
      });
  }

  function focusResultsHeading() {
    const heading = document.getElementById('results-heading');
    if (heading && window.location.hash === '#results-heading' && document.activeElement !== heading) {
      heading.focus();
    }
  }

  // "Use my position": shown only where the browser can tell it (the Permissions-Policy
  // allows geolocation for our own pages). It writes "lat,lon" into the near field and
  // sends the form; typing a town or postcode works without it, and without JavaScript.
  function enableLocating(form) {
    const button = form.querySelector('[data-locate]');
    const field = form.querySelector('input[name="near"]');
    if (!button || !field || !('geolocation' in navigator)) {
      return;
    }
    const status = form.querySelector('.search__locate-status');
    const say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      say(button.dataset.locating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Four decimals: about 10 m, as near as a list of offers needs.
          field.value =
            position.coords.latitude.toFixed(4) + ',' + position.coords.longitude.toFixed(4);
          form.submit();
        },
        function () {
          button.disabled = false;
          say(button.dataset.locateFailed);
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  const rememberedId = takeRememberedFocus();
  document.querySelectorAll('form[data-auto-submit]').forEach(function (form) {
    enableLocating(form);
    keepFiltersOpenWhenWide(form);
    form.classList.add('auto-submit');
    showTickedValues(form);
    if (wide.matches) {
      restoreFocus(form, rememberedId);
    } else {
      focusResultsHeading();
    }
    form.addEventListener('change', function (event) {
      if (!event.target.matches('input[type="checkbox"], select')) {
        return;
      }
      if (!wide.matches && event.target.matches('.facet input')) {
        updatePhoneCounts(form);
        return;
      }
      if (wide.matches) {
        // Beside the filters the results are in sight already: stay at the changed control
        // rather than jumping to the results heading.
        rememberFocus(event.target);
        form.setAttribute('action', form.getAttribute('action').split('#')[0]);
      }
      form.submit();
    });
    form.addEventListener('submit', function () {
      if (wide.matches) {
        form.setAttribute('action', form.getAttribute('action').split('#')[0]);
      }
    });
  });
})();
