/* Offer map: shows the GeoJSON of the current search as markers that link to the offers.
   An enhancement only: the page lists the same offers below the map. */
(function () {
  'use strict';

  function init(element) {
    if (typeof L === 'undefined') {
      return;
    }
    const status = element.nextElementSibling;
    const say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    const center = element.dataset.center.split(',').map(Number);
    const map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(center, 10);
    // Leaflet's own button labels are English; ours come translated from the page.
    L.control
      .zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut })
      .addTo(map);
    // Leaflet names the popup's close button in English; give it the page's language.
    map.on('popupopen', function (event) {
      const button = event.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (button) {
        button.setAttribute('aria-label', element.dataset.closePopup);
        button.title = element.dataset.closePopup;
      }
    });
    let tileErrorShown = false;
    L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.attribution,
      maxZoom: 19,
    })
      .on('tileerror', function () {
        if (!tileErrorShown) {
          tileErrorShown = true;
          say(element.dataset.tilesFailed);
        }
      })
      .addTo(map);
    const icon = L.icon({
      iconUrl: element.dataset.markerIcon,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });

    // A page with one known place (an offer) gives it inline; lists fetch their GeoJSON.
    const features = element.dataset.geojson
      ? Promise.resolve(JSON.parse(element.dataset.geojson))
      : fetch(element.dataset.geojsonUrl, { headers: { Accept: 'application/geo+json' } }).then(
          function (response) {
            if (!response.ok) {
              throw new Error(response.statusText);
            }
            return response.json();
          }
        );
    features
      .then(function (data) {
        const markers = data.features.map(function (feature) {
          const [lng, lat] = feature.geometry.coordinates;
          const props = feature.properties;
          // title and alt give each marker an accessible name; Leaflet makes it focusable.
          const marker = L.marker([lat, lng], { icon: icon, title: props.name, alt: props.name, keyboard: true });
          const link = document.createElement('a');
          link.href = props.url;
          link.textContent = props.name;
          const place = document.createElement('div');
          place.textContent = props.venue + ', ' + props.city;
          if (props.distance) {
            // A search near a place: how far this one is ("1.2 km", in the page's language).
            place.textContent += ' · ' + props.distance;
          }
          const popup = document.createElement('div');
          popup.append(link, place);
          marker.bindPopup(popup);
          marker.on('keypress', function (event) {
            // Leaflet makes markers buttons; buttons answer to Enter and Space.
            if (event.originalEvent.key === 'Enter' || event.originalEvent.key === ' ') {
              event.originalEvent.preventDefault();
              window.location.href = props.url;
            }
          });
          return marker;
        });
        // Many offers share a town: on the search map they cluster (Leaflet.markercluster,
        // vendored), so that a phone shows a few numbered circles instead of a heap of pins.
        const cluster = element.dataset.cluster !== undefined && typeof L.markerClusterGroup === 'function';
        const group = cluster
          ? L.markerClusterGroup({
              showCoverageOnHover: false,
              iconCreateFunction: function (group) {
                // A cluster is a button too: its name says what it holds and what it does.
                group.options.title = element.dataset.clusterLabel + ' ' + group.getChildCount();
                return L.MarkerClusterGroup.prototype._defaultIconCreateFunction(group);
              },
            }).addLayers(markers)
          : L.featureGroup(markers);
        group.addTo(map);
        if (markers.length) {
          map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 15 });
        }
        element.dataset.markers = String(markers.length);
      })
      .catch(function () {
        say(element.dataset.loadingFailed);
      });
  }

  document.querySelectorAll('[data-offer-map]').forEach(init);
})();
