// "Share": where the browser can share (phones), the button opens its share sheet with the page's address.
// Without JavaScript, or where sharing is not offered, the address stays there to copy.
(function () {
  "use strict";
  var button = document.getElementById("share-button");
  if (!button || !navigator.share) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share({ title: document.title, url: button.getAttribute("data-url") }).catch(function () {});
  });
}());
