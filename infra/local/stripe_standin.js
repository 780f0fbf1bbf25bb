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
 * Card data goes from these inputs to the local Stripe only, never to the portal. Unlike Stripe the
 * fields are plain inputs in the page (not iframes) so tests fill them by label:
 *   card:  "Card number" [data-testid=card-number], "Expiry (MM/YY)" [data-testid=card-expiry],
 *          "CVC" [data-testid=card-cvc], inside [data-testid=stripe-card-element]
 *   iban:  "IBAN" [data-testid=iban], inside [data-testid=stripe-iban-element]
 * 3-D Secure shows a modal <dialog> "3D Secure authentication" [data-testid=stripe-3ds-dialog] with the
 * buttons "Complete authentication" and "Fail authentication".
 *
 * It runs under the portal's Content-Security-Policy: no inline script or style, no eval; elements
 * carry class names only (StripeElement, StripeElement--focus|--invalid|--complete|--empty) for the
 * page's own stylesheet. Requests are form posts with the publishable key in the body, as Stripe.js
 * sends them (no CORS preflight).
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

  // ---- validation, as Stripe.js reports it --------------------------------------------------------

  function digits(value) {
    return String(value || "").replace(/[\s-]/g, "");
  }

  function luhn(number) {
    var total = 0;
    for (var i = 0; i < number.length; i++) {
      var digit = Number(number[number.length - 1 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      total += digit;
    }
    return total % 10 === 0;
  }

  function expiry(value) {
    var match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value || "");
    if (!match) return null;
    var year = Number(match[2]);
    return { month: Number(match[1]), year: year < 100 ? 2000 + year : year };
  }

  function validationError(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  function cardProblem(fields) {
    var number = digits(fields.number.value);
    var wanted = /^3[47]/.test(number) ? 15 : 16;
    if (!number) return validationError("incomplete_number", "Your card number is incomplete.");
    if (!/^\d+$/.test(number)) return validationError("invalid_number", "Your card number is invalid.");
    if (number.length < wanted) return validationError("incomplete_number", "Your card number is incomplete.");
    if (!luhn(number)) return validationError("invalid_number", "Your card number is invalid.");
    var exp = expiry(fields.expiry.value);
    if (!exp) return validationError("incomplete_expiry", "Your card's expiration date is incomplete.");
    var now = new Date();
    if (exp.month < 1 || exp.month > 12) {
      return validationError("invalid_expiry_month", "Your card's expiration date is invalid.");
    }
    if (exp.year < now.getFullYear() || (exp.year === now.getFullYear() && exp.month < now.getMonth() + 1)) {
      return validationError("invalid_expiry_year_past", "Your card's expiration year is in the past.");
    }
    if (!/^\d{3,4}$/.test(String(fields.cvc.value || "").trim())) {
      return validationError("incomplete_cvc", "Your card's security code is incomplete.");
    }
    return null;
  }

  function ibanProblem(fields) {
    var iban = digits(fields.iban.value).toUpperCase();
    if (iban.length < 15) return validationError("incomplete_iban", "Your IBAN is incomplete.");
    var moved = iban.slice(4) + iban.slice(0, 4);
    var rest = 0;
    for (var i = 0; i < moved.length; i++) {
      var code = parseInt(moved[i], 36);
      if (isNaN(code)) return validationError("invalid_iban", "Your IBAN is invalid.");
      var part = String(code);
      for (var j = 0; j < part.length; j++) rest = (rest * 10 + Number(part[j])) % 97;
    }
    return rest === 1 ? null : validationError("invalid_iban", "Your IBAN is invalid.");
  }

  // ---- elements -----------------------------------------------------------------------------------

  var FIELDS = {
    card: [
      { name: "number", label: "Card number", testid: "card-number", autocomplete: "cc-number",
        placeholder: "1234 1234 1234 1234", inputmode: "numeric" },
      { name: "expiry", label: "Expiry (MM/YY)", testid: "card-expiry", autocomplete: "cc-exp",
        placeholder: "MM / YY", inputmode: "numeric" },
      { name: "cvc", label: "CVC", testid: "card-cvc", autocomplete: "cc-csc", placeholder: "CVC",
        inputmode: "numeric" }
    ],
    iban: [
      { name: "iban", label: "IBAN", testid: "iban", autocomplete: "off",
        placeholder: "DE89 3704 0044 0532 0130 00", inputmode: "text" }
    ]
  };

  function Element(type) {
    this.type = type;
    this.handlers = {};
    this.fields = {};
    this.root = null;
  }

  Element.prototype.problem = function () {
    if (!this.root) return validationError("element_not_mounted", "The " + this.type + " element is not mounted.");
    return this.type === "card" ? cardProblem(this.fields) : ibanProblem(this.fields);
  };

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
    var root = document.createElement("div");
    root.className = "StripeElement StripeElement--empty StripeElement--" + this.type;
    root.setAttribute("data-testid", "stripe-" + this.type + "-element");
    serial += 1;
    FIELDS[this.type].forEach(function (spec) {
      var id = "stripe-" + spec.testid + "-" + serial;
      var wrapper = document.createElement("div");
      wrapper.className = "StripeElement-field";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = spec.label;
      var input = document.createElement("input");
      input.id = id;
      input.type = "text";
      input.name = spec.testid;
      input.autocomplete = spec.autocomplete;
      input.placeholder = spec.placeholder;
      input.setAttribute("inputmode", spec.inputmode);
      input.setAttribute("data-testid", spec.testid);
      input.spellcheck = false;
      input.addEventListener("input", function () {
        element.changed();
      });
      input.addEventListener("focus", function () {
        root.classList.add("StripeElement--focus");
        element.emit("focus", { elementType: element.type });
      });
      input.addEventListener("blur", function () {
        root.classList.remove("StripeElement--focus");
        element.emit("blur", { elementType: element.type });
      });
      wrapper.appendChild(label);
      wrapper.appendChild(input);
      root.appendChild(wrapper);
      element.fields[spec.name] = input;
    });
    node.appendChild(root);
    this.root = root;
    setTimeout(function () {
      element.emit("ready", { elementType: element.type });
    }, 0);
    return this;
  };

  Element.prototype.changed = function () {
    var fields = this.fields;
    var empty = Object.keys(fields).every(function (name) {
      return !fields[name].value;
    });
    var problem = this.problem();
    // Like Stripe.js: an unfinished entry is not an error yet, only a wrong one is.
    var shown = problem && !/^incomplete/.test(problem.code) ? problem : undefined;
    this.root.classList.toggle("StripeElement--empty", empty);
    this.root.classList.toggle("StripeElement--complete", !problem);
    this.root.classList.toggle("StripeElement--invalid", !!shown);
    var event = { elementType: this.type, empty: empty, complete: !problem, error: shown };
    if (this.type === "card") event.brand = brand(digits(fields.number.value));
    this.emit("change", event);
  };

  Element.prototype.clear = function () {
    var fields = this.fields;
    Object.keys(fields).forEach(function (name) {
      fields[name].value = "";
    });
    if (this.root) this.changed();
  };

  Element.prototype.focus = function () {
    var first = this.fields[FIELDS[this.type][0].name];
    if (first) first.focus();
  };

  Element.prototype.update = function () {};

  Element.prototype.unmount = function () {
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
    this.root = null;
    this.fields = {};
  };

  Element.prototype.destroy = Element.prototype.unmount;

  function brand(number) {
    if (/^4/.test(number)) return "visa";
    if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
    if (/^3[47]/.test(number)) return "amex";
    if (/^(6011|65)/.test(number)) return "discover";
    return "unknown";
  }

  function Elements() {
    this.created = {};
  }

  Elements.prototype.create = function (type) {
    if (!FIELDS[type]) throw new Error("Stripe stand-in: element type " + type + " is not offered");
    if (this.created[type]) throw new Error("Can only create one Element of type " + type + ".");
    this.created[type] = new Element(type);
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
    return new Elements();
  };

  Stripe.prototype.createMethod = function (data, kind) {
    var given = data && data.payment_method;
    if (!given) return Promise.resolve({});
    if (typeof given === "string") return Promise.resolve({ id: given });
    var element = given[kind === "card" ? "card" : "sepa_debit"];
    if (!(element instanceof Element)) {
      return Promise.resolve({ error: validationError("parameter_missing", "No " + kind + " element given.") });
    }
    var problem = element.problem();
    if (problem) return Promise.resolve({ error: problem });
    var params = { type: kind, billing_details: given.billing_details || {} };
    if (kind === "card") {
      var exp = expiry(element.fields.expiry.value);
      params.card = {
        number: digits(element.fields.number.value),
        exp_month: exp.month,
        exp_year: exp.year,
        cvc: element.fields.cvc.value.trim()
      };
    } else {
      params.sepa_debit = { iban: digits(element.fields.iban.value).toUpperCase() };
    }
    return call("POST", "/v1/payment_methods", this.key, params);
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
