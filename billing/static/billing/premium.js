// Upgrade: ask our server for an order, open Razorpay Checkout, post its answer back.
(function () {
  "use strict";
  var button = document.getElementById("upgrade");
  var form = document.getElementById("checkout-callback");
  var errorBox = document.getElementById("upgrade-error");
  if (!button || !form) return;

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    button.disabled = false;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    errorBox.hidden = true;
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    fetch(button.dataset.orderUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "Could not start the payment.");
          return data;
        });
      })
      .then(function (order) {
        if (typeof window.Razorpay !== "function") {
          throw new Error("The payment window could not be loaded; please try again.");
        }
        var checkout = new window.Razorpay({
          key: order.key,
          amount: order.amount,
          currency: order.currency,
          order_id: order.order_id,
          name: "Cartonify",
          description: "Premium",
          prefill: { email: order.email },
          handler: function (response) {
            form.elements.razorpay_order_id.value = response.razorpay_order_id;
            form.elements.razorpay_payment_id.value = response.razorpay_payment_id;
            form.elements.razorpay_signature.value = response.razorpay_signature;
            form.submit();
          },
          modal: { ondismiss: function () { button.disabled = false; } },
        });
        checkout.open();
      })
      .catch(function (error) { showError(error.message); });
  });
})();
