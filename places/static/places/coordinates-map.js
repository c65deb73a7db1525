/*
 * A Leaflet map that sets a latitude/longitude pair of number inputs.
 *
 * Rendered by places.widgets.CoordinatesMapWidget right after the latitude input. The
 * inputs stay the source of truth: clicking on the map or dragging the pin writes them,
 * typing into them moves the pin, "remove pin" empties both. Every text comes from data
 * attributes rendered (and translated) by the server. Without Leaflet the panel stays
 * hidden and the inputs work as before.
 */
(function () {
  'use strict';

  const DECIMALS = 6;

  function parseCoordinate(input, limit) {
    const raw = input.value.trim().replace(',', '.');
    if (raw === '') {
      return null;
    }
    const number = Number(raw);
    return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
  }

  function findLongitudeInput(latitudeInput, panel, config) {
    // Derive the id from the latitude input's current id rather than trusting only the
    // rendered one: admin inlines clone an "__prefix__" template and renumber its ids.
    const id = latitudeInput.id;
    if (id && id.endsWith(config.latitudeField)) {
      const found = document.getElementById(
        id.slice(0, -config.latitudeField.length) + config.longitudeField
      );
      if (found) {
        return found;
      }
    }
    return panel.dataset.longitudeId
      ? document.getElementById(panel.dataset.longitudeId)
      : null;
  }

  // In the admin, show the map below both inputs: at the end of the form row that holds
  // the later one (and so below a row with both), not squeezed next to the latitude input.
  function placePanel(panel, latitudeInput, longitudeInput) {
    const longitudeIsLater =
      latitudeInput.compareDocumentPosition(longitudeInput) & Node.DOCUMENT_POSITION_FOLLOWING;
    const later = longitudeIsLater ? longitudeInput : latitudeInput;
    const row = later.closest('.form-row');
    if (row && row.tagName !== 'TR') {
      row.appendChild(panel);
    }
  }

  function initMap(panel) {
    if (panel.coordinatesMap || typeof window.L === 'undefined') {
      return;
    }
    const latitudeInput = panel.previousElementSibling;
    if (!latitudeInput || latitudeInput.tagName !== 'INPUT' || latitudeInput.id.includes('__prefix__')) {
      return; // e.g. the hidden template form of an admin inline
    }
    const config = JSON.parse(panel.dataset.config);
    const longitudeInput = findLongitudeInput(latitudeInput, panel, config);
    if (!longitudeInput) {
      return;
    }
    const L = window.L;
    const canvas = panel.querySelector('.coordinates-map__canvas');
    const notice = panel.querySelector('.coordinates-map__notice');
    const removeButton = panel.querySelector('.coordinates-map__remove');
    const markerLabel = panel.dataset.markerLabel;

    placePanel(panel, latitudeInput, longitudeInput);
    panel.hidden = false;

    const map = L.map(canvas, { center: config.center, zoom: config.zoom });
    const tiles = L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 });
    // Tiles are the only resource from elsewhere; without them the map is blank but works.
    tiles.once('tileerror', function () {
      notice.hidden = false;
    });
    tiles.addTo(map);

    const icon = L.icon({
      iconUrl: config.icon.iconUrl,
      iconRetinaUrl: config.icon.iconRetinaUrl,
      shadowUrl: config.icon.shadowUrl,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
    let marker = null;
    let writing = false; // set while we fire events for our own changes to the inputs

    function notify() {
      writing = true;
      try {
        [latitudeInput, longitudeInput].forEach(function (input) {
          input.dispatchEvent(new Event('input', { bubbles: true }));
          input.dispatchEvent(new Event('change', { bubbles: true }));
        });
      } finally {
        writing = false;
      }
    }

    function writeInputs(latlng) {
      const wrapped = latlng.wrap();
      latitudeInput.value = wrapped.lat.toFixed(DECIMALS);
      longitudeInput.value = wrapped.lng.toFixed(DECIMALS);
    }

    function readInputs() {
      const latitude = parseCoordinate(latitudeInput, 90);
      const longitude = parseCoordinate(longitudeInput, 180);
      return latitude === null || longitude === null ? null : L.latLng(latitude, longitude);
    }

    function showMarker(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, {
          icon: icon,
          draggable: true,
          autoPan: true,
          title: markerLabel,
          alt: markerLabel,
        }).addTo(map);
        marker.on('drag', function () {
          writeInputs(marker.getLatLng());
        });
        marker.on('dragend', function () {
          writeInputs(marker.getLatLng());
          notify();
        });
      }
      removeButton.disabled = false;
    }

    function removeMarker() {
      if (marker) {
        marker.remove();
        marker = null;
      }
      removeButton.disabled = true;
    }

    function setPin(latlng) {
      showMarker(latlng);
      writeInputs(latlng);
      notify();
    }

    map.on('click', function (event) {
      setPin(event.latlng);
    });

    // Keyboard: the arrow keys move the map (Leaflet), Enter or space pins its centre.
    canvas.addEventListener('keydown', function (event) {
      if (event.target !== canvas || (event.key !== 'Enter' && event.key !== ' ')) {
        return;
      }
      event.preventDefault();
      setPin(map.getCenter());
    });

    function followInputs() {
      if (writing) {
        return;
      }
      const latlng = readInputs();
      if (latlng) {
        showMarker(latlng);
        // No animation: typed coordinates are exact, and a pin set with Enter while the
        // map was still gliding would land on an intermediate centre.
        map.panTo(latlng, { animate: false });
      } else {
        removeMarker();
      }
    }
    [latitudeInput, longitudeInput].forEach(function (input) {
      input.addEventListener('input', followInputs);
      input.addEventListener('change', followInputs);
    });

    removeButton.addEventListener('click', function () {
      latitudeInput.value = '';
      longitudeInput.value = '';
      removeMarker();
      notify();
      canvas.focus(); // the button is now disabled; keep the focus at the map
    });

    // The entry's city (a venue's): without a pin, the map starts there, and it moves to
    // a newly chosen city. Its centre comes from the server (the city's stored centre or
    // the middle of its known venues); cities without either leave the map where it is.
    const idPrefix = latitudeInput.id.slice(0, -config.latitudeField.length);
    const citySelect = config.cityField
      ? document.getElementById(idPrefix + config.cityField)
      : null;

    function cityCentre() {
      const centre = citySelect ? (config.cityCentres || {})[citySelect.value] : null;
      return centre ? L.latLng(centre[0], centre[1]) : null;
    }

    function showCity() {
      const centre = cityCentre();
      if (centre) {
        map.setView(centre, config.cityZoom, { animate: false });
      }
    }

    if (citySelect) {
      citySelect.addEventListener('change', showCity);
      // The admin's autocomplete (select2) announces changes through jQuery only.
      if (window.django && window.django.jQuery) {
        window.django.jQuery(citySelect).on('change', function (event) {
          if (!event.originalEvent) {
            showCity();
          }
        });
      }
    }

    // "Find the address on the map": the server asks the geocoder (the page never talks
    // to it) and answers with places or a message in the editor's language.
    const geocodeButton = panel.querySelector('.coordinates-map__geocode');
    const geocodeStatus = panel.querySelector('.coordinates-map__geocode-status');
    if (geocodeButton && config.geocodeUrl) {
      geocodeButton.addEventListener('click', function () {
        const params = new URLSearchParams();
        (config.addressFields || []).forEach(function (name) {
          const input = document.getElementById(idPrefix + name);
          params.set(name, input ? input.value : '');
        });
        if (citySelect) {
          params.set('city', citySelect.value);
        }
        geocodeButton.disabled = true;
        geocodeStatus.textContent = panel.dataset.geocodeBusy;
        fetch(config.geocodeUrl + '?' + params.toString(), {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        })
          .then(function (response) {
            return response.json().catch(function () {
              return {};
            });
          })
          .then(function (data) {
            const place = data.places && data.places[0];
            if (!place) {
              geocodeStatus.textContent = data.error || panel.dataset.geocodeFailed;
              return;
            }
            const latlng = L.latLng(Number(place.latitude), Number(place.longitude));
            setPin(latlng);
            map.setView(latlng, config.pinZoom, { animate: false });
            geocodeStatus.textContent = place.label;
          })
          .catch(function () {
            geocodeStatus.textContent = panel.dataset.geocodeFailed;
          })
          .finally(function () {
            geocodeButton.disabled = false;
          });
      });
    }

    const initial = readInputs();
    if (initial) {
      showMarker(initial);
      map.setView(initial, config.pinZoom);
    } else {
      removeMarker();
      showCity();
    }

    // A map created while hidden (a collapsed fieldset, a narrow popup being resized)
    // has the wrong size until told otherwise.
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(function () {
        map.invalidateSize(false);
      }).observe(canvas);
    }

    // For other scripts and the browser tests.
    panel.coordinatesMap = map;
  }

  function initWithin(root) {
    root.querySelectorAll('[data-coordinates-map]').forEach(initMap);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      initWithin(document);
    });
  } else {
    initWithin(document);
  }
  // Forms added to an admin inline formset.
  document.addEventListener('formset:added', function (event) {
    initWithin(event.target);
  });
})();
