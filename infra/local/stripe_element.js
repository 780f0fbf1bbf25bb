/*
 * Inside one element's frame (served by the local Stripe at /v3/elements/<card|iban>, on its own
 * origin, as Stripe's fields live in frames of js.stripe.com): the labelled inputs, Stripe.js's
 * validation messages, and the payment method made from them, POSTed to the local Stripe from here.
 * The page that mounted the element (stripe_standin.js) only hears of changes and gets the method's
 * id: the card number never enters the portal's page.
 *
 * Messages with the parent (postMessage, both sides check origin and source):
 *   out: {type: "ready" | "change" (event) | "focus" | "blur" | "resize" (height) | "method" (result)}
 *   in:  {type: "createMethod" (key, billing_details, request) | "clear" | "focus"}
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var parentOrigin = params.get("origin");
  var elementId = params.get("id");
  var type = window.location.pathname.split("/").pop();

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
  var fields = {};

  function post(message) {
    message.element = elementId;
    window.parent.postMessage(message, parentOrigin);
  }

  // ---- validation, as Stripe.js reports it ----------------------------------------------------------

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

  function invalid(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  function cardProblem() {
    var number = digits(fields.number.value);
    var wanted = /^3[47]/.test(number) ? 15 : 16;
    if (!number) return invalid("incomplete_number", "Your card number is incomplete.");
    if (!/^\d+$/.test(number)) return invalid("invalid_number", "Your card number is invalid.");
    if (number.length < wanted) return invalid("incomplete_number", "Your card number is incomplete.");
    if (!luhn(number)) return invalid("invalid_number", "Your card number is invalid.");
    var exp = expiry(fields.expiry.value);
    if (!exp) return invalid("incomplete_expiry", "Your card's expiration date is incomplete.");
    if (exp.month < 1 || exp.month > 12) return invalid("invalid_expiry_month", "Your card's expiration date is invalid.");
    var now = new Date();
    if (exp.year < now.getFullYear() || (exp.year === now.getFullYear() && exp.month < now.getMonth() + 1)) {
      return invalid("invalid_expiry_year_past", "Your card's expiration year is in the past.");
    }
    if (!/^\d{3,4}$/.test(String(fields.cvc.value || "").trim())) {
      return invalid("incomplete_cvc", "Your card's security code is incomplete.");
    }
    return null;
  }

  function ibanProblem() {
    var iban = digits(fields.iban.value).toUpperCase();
    if (iban.length < 15) return invalid("incomplete_iban", "Your IBAN is incomplete.");
    var moved = iban.slice(4) + iban.slice(0, 4);
    var rest = 0;
    for (var i = 0; i < moved.length; i++) {
      var code = parseInt(moved[i], 36);
      if (isNaN(code)) return invalid("invalid_iban", "Your IBAN is invalid.");
      var part = String(code);
      for (var j = 0; j < part.length; j++) rest = (rest * 10 + Number(part[j])) % 97;
    }
    return rest === 1 ? null : invalid("invalid_iban", "Your IBAN is invalid.");
  }

  function problem() {
    return type === "card" ? cardProblem() : ibanProblem();
  }

  function brand(number) {
    if (/^4/.test(number)) return "visa";
    if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
    if (/^3[47]/.test(number)) return "amex";
    if (/^(6011|65)/.test(number)) return "discover";
    return "unknown";
  }

  function changed() {
    var empty = Object.keys(fields).every(function (name) {
      return !fields[name].value;
    });
    var found = problem();
    // Like Stripe.js: an unfinished entry is not an error yet, only a wrong one is.
    var shown = found && !/^incomplete/.test(found.code) ? found : undefined;
    document.body.classList.toggle("invalid", !!shown);
    var event = { elementType: type, empty: empty, complete: !found, error: shown };
    if (type === "card") event.brand = brand(digits(fields.number.value));
    post({ type: "change", event: event });
  }

  // ---- the payment method, made here -----------------------------------------------------------------

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

  function createMethod(message) {
    var found = problem();
    if (found) return Promise.resolve({ error: found });
    var body = { key: message.key, billing_details: message.billing_details || {} };
    if (type === "card") {
      var exp = expiry(fields.expiry.value);
      body.type = "card";
      body.card = { number: digits(fields.number.value), exp_month: exp.month, exp_year: exp.year,
                    cvc: fields.cvc.value.trim() };
    } else {
      body.type = "sepa_debit";
      body.sepa_debit = { iban: digits(fields.iban.value).toUpperCase() };
    }
    return fetch("/v1/payment_methods", { method: "POST", body: flatten("", body, new URLSearchParams()) })
      .then(function (response) {
        return response.json();
      })
      .then(
        function (answer) {
          return answer.error ? { error: answer.error } : { id: answer.id };
        },
        function () {
          return { error: { type: "api_connection_error", message: "We could not reach the payment provider." } };
        }
      );
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var message = event.data || {};
    if (message.element !== elementId) return;
    if (message.type === "createMethod") {
      createMethod(message).then(function (result) {
        post({ type: "method", request: message.request, result: result });
      });
    } else if (message.type === "clear") {
      Object.keys(fields).forEach(function (name) {
        fields[name].value = "";
      });
      changed();
    } else if (message.type === "focus") {
      fields[FIELDS[type][0].name].focus();
    }
  });

  // ---- the fields ------------------------------------------------------------------------------------

  document.body.classList.add(type);
  FIELDS[type].forEach(function (spec) {
    var wrapper = document.createElement("div");
    wrapper.className = "field field-" + spec.name;
    var label = document.createElement("label");
    label.htmlFor = spec.testid;
    label.textContent = spec.label;
    var input = document.createElement("input");
    input.id = spec.testid;
    input.type = "text";
    input.name = spec.testid;
    input.autocomplete = spec.autocomplete;
    input.placeholder = spec.placeholder;
    input.spellcheck = false;
    input.setAttribute("inputmode", spec.inputmode);
    input.setAttribute("data-testid", spec.testid);
    input.addEventListener("input", changed);
    input.addEventListener("focus", function () {
      post({ type: "focus" });
    });
    input.addEventListener("blur", function () {
      post({ type: "blur" });
    });
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    document.body.appendChild(wrapper);
    fields[spec.name] = input;
  });

  function resize() {
    post({ type: "resize", height: document.documentElement.scrollHeight });
  }
  new ResizeObserver(resize).observe(document.body);
  resize();
  post({ type: "ready" });
})();
