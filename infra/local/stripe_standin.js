/*
 * Stripe.js stand-in, served by the local Stripe (infra/local/stripe_local.py) at <local>/v3/ in place
 * of https://js.stripe.com/v3/. It offers the part of Stripe.js the portal uses, with the same names
 * and result shapes:
 *   var stripe = Stripe(publishableKey);
 *   var elements = stripe.elements();
 *   var card = elements.create("card");   card.mount("#card");   card.on("change", fn)
 *   var iban = elements.create("iban");   iban.mount(node)
 *   stripe.confirmCardPayment(clientSecret, {payment_method: {card: card, billing_details: {...}}})
 *   stripe.confirmCardPayment(clientSecret, {payment_method: "pm_..."})      (a saved card)
 *   stripe.confirmSepaDebitPayment(clientSecret, {payment_method: {sepa_debit: iban,
 *                                                 billing_details: {name: ..., email: ...}}})
 *   stripe.confirmCardSetup(clientSecret, {payment_method: {card: card}})
 *   stripe.retrievePaymentIntent(clientSecret), stripe.retrieveSetupIntent(clientSecret),
 *   stripe.handleCardAction(clientSecret)
 * each resolving to {paymentIntent} / {setupIntent} or {error: {type, code, message, ...}}.
 *
 * As with Stripe, each element is a frame of the provider's origin (stripe_element.js): the card data
 * is typed there and sent from there to the local Stripe, never into the portal's page. Its fields are
 * labelled inputs for tests (Playwright: frame_locator("iframe") inside the mount point):
 *   card:  "Card number" [data-testid=card-number], "Expiry (MM/YY)" [data-testid=card-expiry],
 *          "CVC" [data-testid=card-cvc]            iban: "IBAN" [data-testid=iban]
 * The mount point gets a div [data-testid=stripe-card-element | stripe-iban-element] with the classes
 * StripeElement, StripeElement--focus|--invalid|--complete|--empty for the page's own stylesheet.
 * 3-D Secure shows a modal <dialog> "3D Secure authentication" [data-testid=stripe-3ds-dialog] with the
 * buttons "Complete authentication" and "Fail authentication".
 *
 * It runs under the portal's Content-Security-Policy: no inline script or style, no eval (sizes are
 * set through the CSSOM, which CSP allows). Requests are form posts with the publishable key in the
 * body, as Stripe.js sends them (no CORS preflight).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var API = script ? new URL(script.src).origin : window.location.origin;
  var serial = 0;

  // ---- requests -----------------------------------------------------------------------------------

  function flatten(prefix, value, into) {
    if (value === undefined || value === null) return into;
    if (typeof value === "object") {
      Object.keys(value).forEach(function (name) {
        flatten(prefix ? prefix + "[" + name + "]" : name, value[name], into);
      });
    } else {
      into.append(prefix, String(value));
    }
    return into;
  }

  function call(method, path, key, data) {
    var params = flatten("", Object.assign({ key: key }, data || {}), new URLSearchParams());
    var url = API + path;
    var init = { method: method };
    if (method === "GET") url += "?" + params.toString();
    else init.body = params;
    return fetch(url, init).then(
      function (response) {
        return response.json();
      },
      function () {
        return { error: { type: "api_connection_error", message: "We could not reach the payment provider." } };
      }
    );
  }

  function intentId(clientSecret) {
    return String(clientSecret || "").split("_secret_")[0];
  }

  // ---- elements: a frame of the provider's origin each ---------------------------------------------

  function Element(stripe, type) {
    this.stripe = stripe;
    this.type = type;
    this.handlers = {};
    this.pending = {};
    this.requests = 0;
    this.root = null;
    this.frame = null;
    this.listener = null;
  }

  Element.prototype.emit = function (name, event) {
    (this.handlers[name] || []).forEach(function (handler) {
      handler(event);
    });
  };

  Element.prototype.on = function (name, handler) {
    (this.handlers[name] = this.handlers[name] || []).push(handler);
    return this;
  };

  Element.prototype.off = function (name, handler) {
    this.handlers[name] = (this.handlers[name] || []).filter(function (h) {
      return handler && h !== handler;
    });
    return this;
  };

  Element.prototype.mount = function (target) {
    var node = typeof target === "string" ? document.querySelector(target) : target;
    if (!node) throw new Error("Stripe stand-in: nothing to mount the " + this.type + " element in");
    var element = this;
    serial += 1;
    this.id = "element-" + serial;
    var root = document.createElement("div");
    root.className = "StripeElement StripeElement--empty";
    root.setAttribute("data-testid", "stripe-" + this.type + "-element");
    var frame = document.createElement("iframe");
    frame.name = "__privateStripeFrame" + serial;
    frame.title = this.type === "card" ? "Secure card payment input frame" : "Secure IBAN input frame";
    frame.setAttribute("frameborder", "0");
    frame.setAttribute("scrolling", "no");
    frame.setAttribute("allowtransparency", "true");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.height = this.type === "card" ? "120px" : "64px";
    var query = new URLSearchParams({ origin: window.location.origin, id: this.id });
    frame.src = API + "/v3/elements/" + this.type + "?" + query.toString();
    this.listener = function (event) {
      if (event.origin !== API || event.source !== frame.contentWindow) return;
      var message = event.data || {};
      if (message.element !== element.id) return;
      element.received(message);
    };
    window.addEventListener("message", this.listener);
    root.appendChild(frame);
    node.appendChild(root);
    this.root = root;
    this.frame = frame;
    return this;
  };

  Element.prototype.received = function (message) {
    var root = this.root;
    if (message.type === "ready") {
      this.emit("ready", { elementType: this.type });
    } else if (message.type === "resize") {
      this.frame.style.height = Math.ceil(message.height) + "px";
    } else if (message.type === "focus" || message.type === "blur") {
      root.classList.toggle("StripeElement--focus", message.type === "focus");
      this.emit(message.type, { elementType: this.type });
    } else if (message.type === "change") {
      var event = message.event;
      root.classList.toggle("StripeElement--empty", event.empty);
      root.classList.toggle("StripeElement--complete", event.complete);
      root.classList.toggle("StripeElement--invalid", !!event.error);
      this.emit("change", event);
    } else if (message.type === "method" && this.pending[message.request]) {
      this.pending[message.request](message.result);
      delete this.pending[message.request];
    }
  };

  Element.prototype.send = function (message) {
    if (this.frame && this.frame.contentWindow) {
      message.element = this.id;
      this.frame.contentWindow.postMessage(message, API);
    }
  };

  /** The payment method of what was typed, made by the frame: {id} or {error}. */
  Element.prototype.createMethod = function (key, billingDetails) {
    var element = this;
    if (!this.frame) {
      return Promise.resolve({ error: validationError("element_not_mounted", "The " + this.type + " element is not mounted.") });
    }
    return new Promise(function (resolve) {
      element.requests += 1;
      element.pending[element.requests] = resolve;
      element.send({ type: "createMethod", request: element.requests, key: key, billing_details: billingDetails || {} });
    });
  };

  Element.prototype.clear = function () {
    this.send({ type: "clear" });
  };

  Element.prototype.focus = function () {
    this.send({ type: "focus" });
  };

  Element.prototype.update = function () {};

  Element.prototype.unmount = function () {
    if (this.listener) window.removeEventListener("message", this.listener);
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
    this.root = null;
    this.frame = null;
    this.listener = null;
  };

  Element.prototype.destroy = Element.prototype.unmount;

  function validationError(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  function Elements(stripe) {
    this.stripe = stripe;
    this.created = {};
  }

  Elements.prototype.create = function (type) {
    if (type !== "card" && type !== "iban") throw new Error("Stripe stand-in: element type " + type + " is not offered");
    if (this.created[type]) throw new Error("Can only create one Element of type " + type + ".");
    this.created[type] = new Element(this.stripe, type);
    return this.created[type];
  };

  Elements.prototype.getElement = function (type) {
    return this.created[type] || null;
  };

  // ---- 3-D Secure -----------------------------------------------------------------------------------

  function challenge() {
    return new Promise(function (resolve) {
      serial += 1;
      var dialog = document.createElement("dialog");
      dialog.className = "StripeChallenge";
      dialog.setAttribute("data-testid", "stripe-3ds-dialog");
      dialog.setAttribute("aria-labelledby", "stripe-3ds-title-" + serial);
      var title = document.createElement("h2");
      title.id = "stripe-3ds-title-" + serial;
      title.textContent = "3D Secure authentication";
      var text = document.createElement("p");
      text.textContent = "Your bank asks you to confirm this test payment.";
      dialog.appendChild(title);
      dialog.appendChild(text);
      [["Complete authentication", "complete"], ["Fail authentication", "fail"]].forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = pair[0];
        button.setAttribute("data-testid", "stripe-3ds-" + pair[1]);
        button.addEventListener("click", function () {
          dialog.close();
          dialog.remove();
          resolve(pair[1]);
        });
        dialog.appendChild(button);
      });
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault(); // Escape does not skip the bank's question
      });
      document.body.appendChild(dialog);
      dialog.showModal();
    });
  }

  // ---- Stripe ---------------------------------------------------------------------------------------

  function Stripe(publishableKey) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey);
    if (!/^pk_/.test(String(publishableKey || ""))) {
      throw new Error("Invalid API Key provided: " + publishableKey);
    }
    this.key = publishableKey;
  }

  Stripe.prototype.elements = function () {
    return new Elements(this);
  };

  Stripe.prototype.createMethod = function (data, kind) {
    var given = data && data.payment_method;
    if (!given) return Promise.resolve({});
    if (typeof given === "string") return Promise.resolve({ id: given });
    var element = given[kind === "card" ? "card" : "sepa_debit"];
    if (!(element instanceof Element)) {
      return Promise.resolve({ error: validationError("parameter_missing", "No " + kind + " element given.") });
    }
    return element.createMethod(this.key, given.billing_details);
  };

  Stripe.prototype.confirm = function (path, kind, clientSecret, data, resultName) {
    var stripe = this;
    return this.createMethod(data, kind).then(function (method) {
      if (method.error) return { error: method.error };
      var params = { client_secret: clientSecret };
      if (method.id) params.payment_method = method.id;
      if (kind === "sepa_debit") {
        params.mandate_data = { customer_acceptance: { type: "online", online: { infer_from_client: true } } };
      }
      return call("POST", path + intentId(clientSecret) + "/confirm", stripe.key, params).then(function (answer) {
        return stripe.finish(answer, clientSecret, resultName);
      });
    });
  };

  Stripe.prototype.finish = function (answer, clientSecret, resultName) {
    var stripe = this;
    if (answer.error) return { error: answer.error };
    if (answer.status !== "requires_action") return settled(answer, resultName);
    return challenge().then(function (outcome) {
      var params = { client_secret: clientSecret, outcome: outcome };
      return call("POST", "/_local/authenticate/" + answer.id, stripe.key, params).then(function (after) {
        return after.error ? { error: after.error } : settled(after, resultName);
      });
    });
  };

  function settled(intent, resultName) {
    var failure = intent.last_payment_error || intent.last_setup_error;
    if (intent.status === "requires_payment_method" && failure) {
      var error = Object.assign({}, failure);
      error.type = error.type || "card_error";
      error[resultName === "paymentIntent" ? "payment_intent" : "setup_intent"] = intent;
      return { error: error };
    }
    var result = {};
    result[resultName] = intent;
    return result;
  }

  Stripe.prototype.confirmCardPayment = function (clientSecret, data) {
    return this.confirm("/v1/payment_intents/", "card", clientSecret, data, "paymentIntent");
  };

  Stripe.prototype.confirmSepaDebitPayment = function (clientSecret, data) {
    return this.confirm("/v1/payment_intents/", "sepa_debit", clientSecret, data, "paymentIntent");
  };

  Stripe.prototype.confirmCardSetup = function (clientSecret, data) {
    return this.confirm("/v1/setup_intents/", "card", clientSecret, data, "setupIntent");
  };

  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    var params = { client_secret: clientSecret };
    return call("GET", "/v1/payment_intents/" + intentId(clientSecret), this.key, params).then(function (answer) {
      return answer.error ? { error: answer.error } : { paymentIntent: answer };
    });
  };

  Stripe.prototype.retrieveSetupIntent = function (clientSecret) {
    var params = { client_secret: clientSecret };
    return call("GET", "/v1/setup_intents/" + intentId(clientSecret), this.key, params).then(function (answer) {
      return answer.error ? { error: answer.error } : { setupIntent: answer };
    });
  };

  Stripe.prototype.handleCardAction = function (clientSecret) {
    var stripe = this;
    return this.retrievePaymentIntent(clientSecret).then(function (result) {
      return result.error ? result : stripe.finish(result.paymentIntent, clientSecret, "paymentIntent");
    });
  };

  Stripe.prototype.handleNextAction = function (options) {
    return this.handleCardAction(options && options.clientSecret);
  };

  window.Stripe = Stripe;
})();
