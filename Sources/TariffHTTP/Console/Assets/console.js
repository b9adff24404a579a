"use strict";
// Tariff's price explorer. Everything shown comes from the native API with the account's key,
// which lives in this page's memory only: never in a URL, a cookie or storage.
(function () {
  let credentials = null;
  let countries = [];
  let shown = null; // the sheet on screen: { iso, offset, body }
  const pageSize = 200;
  const $ = (id) => document.getElementById(id);

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(path) {
    const response = await fetch(path, {
      headers: { Authorization: "Basic " + btoa(credentials.key + ":" + credentials.secret), Accept: "application/json" },
      credentials: "omit",
      cache: "no-store",
    });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
    if (!response.ok) {
      const reason = body && (body.detail || body.title) ? (body.detail || body.title) : "HTTP " + response.status;
      throw new Error(reason);
    }
    return body;
  }

  function problem(target, error) {
    target.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
  }

  // MARK: Signing in

  $("signin").addEventListener("submit", async (event) => {
    event.preventDefault();
    credentials = { key: $("api-key").value.trim(), secret: $("api-secret").value };
    $("api-secret").value = "";
    try {
      countries = (await api("/v1/countries")).countries;
      const balance = await api("/v1/balance").catch(() => null);
      $("account").textContent = "Signed in as " + credentials.key + (balance ? " — prices in " + balance.currency : "");
      $("country-list").replaceChildren(...countries.map((c) => el("option", { value: c.name + " (" + c.iso2 + ")" })));
      $("explorer").hidden = false;
      $("lookup").hidden = false;
      $("signout").hidden = false;
      $("country-search").focus();
    } catch (error) {
      credentials = null;
      $("account").textContent = "Sign-in failed: " + error.message;
    }
  });

  $("signout").addEventListener("click", () => {
    credentials = null;
    countries = [];
    shown = null;
    $("explorer").hidden = true;
    $("lookup").hidden = true;
    $("signout").hidden = true;
    $("sheet").replaceChildren();
    $("lookup-result").replaceChildren();
    $("account").textContent = "Signed out.";
  });

  // MARK: Finding a country

  function matches(text) {
    const query = text.trim().toLowerCase();
    if (!query) return [];
    const bracket = query.match(/\(([a-z]{2})\)$/);
    if (bracket) return countries.filter((c) => c.iso2.toLowerCase() === bracket[1]);
    const digits = query.replace(/[\s+()-]/g, "");
    return countries.filter((c) =>
      c.iso2.toLowerCase() === query ||
      c.name.toLowerCase().includes(query) ||
      (/^\d+$/.test(digits) && c.calling_code === digits)
    ).slice(0, 12);
  }

  $("country-search").addEventListener("input", () => {
    const found = matches($("country-search").value);
    $("country-matches").replaceChildren(
      ...found.map((c) => el("li", {}, el("button", { type: "button", onclick: () => loadSheet(c.iso2, 0) }, c.name + " (" + c.iso2 + (c.calling_code ? ", +" + c.calling_code : "") + ")")))
    );
  });

  $("country-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const found = matches($("country-search").value);
    if (found.length) loadSheet(found[0].iso2, 0);
    else problem($("sheet"), new Error("No country matches “" + $("country-search").value + "”."));
  });

  // MARK: A country's prices

  async function loadSheet(iso, offset) {
    const currency = $("currency").value.trim().toUpperCase();
    let path = "/v1/countries/" + encodeURIComponent(iso) + "/prices?limit=" + pageSize + "&offset=" + offset;
    if (currency) path += "&currency=" + encodeURIComponent(currency);
    try {
      const body = await api(path);
      shown = { iso, offset, body };
      renderSheet();
    } catch (error) {
      problem($("sheet"), error);
    }
  }

  function nextNote(next, field) {
    if (!next) return null;
    return el("span", { class: "next" }, "from " + next.effective_from.slice(0, 10) + ": " + next[field || "price"]);
  }

  function money(value, next, field) {
    return el("td", { class: "money" }, value === undefined || value === null ? "—" : value, nextNote(next, field));
  }

  const products = [
    ["sms-outbound", "SMS to " , ["Network", "Type", "Description", "Price per message"]],
    ["voice-outbound", "Calls to ", ["Prefix", "Network", "Type", "Description", "Price per minute", "Increment", "Connect fee"]],
    ["voice-inbound", "Calls received on numbers of ", ["Number type", "Caller prefix", "Description", "Price per minute", "Increment"]],
    ["sms-inbound", "SMS received on numbers of ", ["Number type", "Description", "Price per message"]],
  ];
  const lists = ["domestic", "eea", "international", "any"];
  const listNames = { domestic: "from the same country", eea: "from the EEA", international: "from elsewhere", any: "from any origin" };

  function rateCells(product, line) {
    const network = line.network ? (line.network_name ? line.network_name + " (" + line.network + ")" : line.network) : "all";
    switch (product) {
      case "sms-outbound": return [el("td", {}, network), el("td", {}, line.number_type || "all"), el("td", { class: "wide" }, line.description), money(line.price, line.next)];
      case "voice-outbound": return [el("td", {}, line.prefix || "—"), el("td", {}, network), el("td", {}, line.number_type || "all"), el("td", { class: "wide" }, line.description), money(line.price, line.next), el("td", {}, line.increment || ""), money(line.connect_fee, line.next, "connect_fee")];
      case "voice-inbound": return [el("td", {}, line.number_type || "all"), el("td", {}, line.prefix || "any"), el("td", { class: "wide" }, line.description), money(line.price, line.next), el("td", {}, line.increment || "")];
      default: return [el("td", {}, line.number_type || "all"), el("td", { class: "wide" }, line.description), money(line.price, line.next)];
    }
  }

  function table(caption, headings, rows) {
    return el("table", {},
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headings.map((h, i) => el("th", { scope: "col", class: /Description/.test(h) ? "wide" : null }, h)))),
      el("tbody", {}, rows));
  }

  function renderSheet() {
    const { body, offset } = shown;
    const parts = [el("h3", {}, body.country.name + " (" + body.country.iso2 + (body.country.calling_code ? ", +" + body.country.calling_code : "") + ")")];
    const end = offset + body.rates.length;
    parts.push(el("div", { class: "toolbar" },
      el("span", {}, body.total_rates ? "Rates " + (offset + 1) + "–" + end + " of " + body.total_rates + ", in " + body.currency : "No rates for this country."),
      offset > 0 ? el("button", { type: "button", onclick: () => loadSheet(shown.iso, Math.max(0, offset - pageSize)) }, "Previous") : null,
      end < body.total_rates ? el("button", { type: "button", onclick: () => loadSheet(shown.iso, end) }, "Next") : null,
      el("button", { type: "button", id: "download", onclick: downloadCSV }, "Download CSV")));
    for (const [product, title, headings] of products) {
      const lines = body.rates.filter((r) => r.product === product);
      if (!lines.length) continue;
      for (const list of lists) {
        const inList = lines.filter((r) => r.list === list);
        if (!inList.length) continue;
        const caption = title + body.country.name + (product.endsWith("outbound") && product.startsWith("voice") ? ", " + listNames[list] : "");
        parts.push(el("h4", {}, caption));
        parts.push(table(caption, headings, inList.map((line) => el("tr", { "data-product": product, "data-network": line.network || "", "data-prefix": line.prefix || "" }, rateCells(product, line)))));
      }
    }
    if (body.numbers.length) {
      parts.push(el("h4", {}, "Numbers of " + body.country.name));
      parts.push(table("Number fees", ["Category", "Region", "Setup (once)", "Monthly"], body.numbers.map((n) =>
        el("tr", { "data-category": n.category }, el("td", {}, n.category), el("td", {}, n.region_name || n.region || "all"), money(n.setup, n.next, "setup"), money(n.monthly, n.next, "monthly")))));
    }
    $("sheet").replaceChildren(...parts);
  }

  function csvCell(value) {
    const text = value === undefined || value === null ? "" : String(value);
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadCSV() {
    const { body } = shown;
    const rows = [["product", "list", "prefix", "network", "number_type", "description", "price", "increment", "connect_fee", "currency", "next_price", "next_from"]];
    for (const r of body.rates) rows.push([r.product, r.list, r.prefix, r.network, r.number_type, r.description, r.price, r.increment, r.connect_fee, body.currency, r.next && r.next.price, r.next && r.next.effective_from]);
    for (const n of body.numbers) rows.push(["number", "", "", "", n.category, n.region_name || n.region, n.monthly, "", n.setup, body.currency, n.next && n.next.monthly, n.next && n.next.effective_from]);
    const blob = new Blob([rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n"], { type: "text/csv" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "prices-" + body.country.iso2 + ".csv" });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // MARK: Number lookup

  $("lookup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const product = $("lookup-product").value;
    const quantity = $("lookup-quantity").value.trim();
    let path = "/v1/prices/" + product + "?to=" + encodeURIComponent($("lookup-number").value.trim());
    if (quantity) path += (product === "voice" ? "&seconds=" : "&messages=") + encodeURIComponent(quantity);
    const target = $("lookup-result");
    try {
      const started = performance.now();
      const quote = await api(path);
      const elapsed = performance.now() - started;
      const converted = quote.converted || { price: quote.price, currency: quote.currency, total: quote.cost && quote.cost.total };
      target.replaceChildren(
        el("dl", {},
          el("dt", {}, "Number"), el("dd", { id: "lookup-e164" }, quote.number),
          el("dt", {}, "Country"), el("dd", {}, quote.country_name + " (" + quote.country + ")"),
          el("dt", {}, "Type"), el("dd", {}, quote.number_type || "unknown"),
          el("dt", {}, "Network"), el("dd", {}, quote.network ? quote.network.name + " (" + quote.network.mccmnc + ")" : "—"),
          el("dt", {}, "List and row"), el("dd", {}, quote.list + ": " + quote.row),
          el("dt", {}, "Price"), el("dd", { id: "lookup-price" }, converted.price + " " + converted.currency + (product === "voice" ? " per minute" : " per message")),
          converted.total ? [el("dt", {}, "Cost"), el("dd", { id: "lookup-cost" }, converted.total + " " + converted.currency)] : null),
        el("ul", { class: "explain" }, (quote.explanation || []).map((line) => el("li", {}, line))),
        el("p", { class: "muted", id: "lookup-elapsed", "data-ms": elapsed.toFixed(1) }, "Answered in " + elapsed.toFixed(1) + " ms."));
    } catch (error) {
      problem(target, error);
    }
  });
})();
