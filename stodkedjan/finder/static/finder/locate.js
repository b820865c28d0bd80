// "Use my location": asks the browser for the position once and searches by distance. Nothing is stored;
// the position only goes into this search's address. Without JavaScript the button stays hidden.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var params = new URLSearchParams(window.location.search);
      params.set("lat", position.coords.latitude.toFixed(3));
      params.set("lon", position.coords.longitude.toFixed(3));
      params.set("sort", "distance");
      params.delete("page");
      window.location.search = params.toString();
    }, function () {
      button.insertAdjacentText("afterend", " " + button.getAttribute("data-message"));
    }, { timeout: 10000, maximumAge: 600000 });
  });
}());
