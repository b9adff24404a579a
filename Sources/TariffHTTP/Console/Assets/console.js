"use strict";
// Tariff's price explorer. Everything shown comes from the native API with the account's key,
// which lives in this page's memory only: never in a URL, a cookie or storage.
(function () {
  let credentials = null;
  let countries = [];
  let shown = null; // the sheet on screen: { iso, offset, body }
  const pageSize = 200;
  const $ = (id) => document.getElementById(id);
  const svgNS = "http://www.w3.org/2000/svg";

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

  // One request with its credential (none for public prices); the body parsed when it is JSON.
  async function send(path, authorization, options) {
    const headers = Object.assign({ Accept: "application/json" }, authorization ? { Authorization: authorization } : {}, (options && options.headers) || {});
    const response = await fetch(path, Object.assign({ credentials: "omit", cache: "no-store" }, options, { headers }));
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
    return { response, text, body };
  }

  // Without credentials, the explorer reads the public prices when the operator publishes them.
  const accountKey = () => (credentials ? "Basic " + btoa(credentials.key + ":" + credentials.secret) : null);

  async function api(path) {
    const { response, body } = await send(path, accountKey());
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
      const listed = (await api("/v1/countries")).countries;
      const balance = await api("/v1/balance").catch(() => null);
      $("account").textContent = "Signed in as " + credentials.key + (balance ? " — prices in " + balance.currency : "");
      showExplorer(listed);
      $("lookup").hidden = false;
      $("account-console").hidden = false;
      loadAccount();
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
    $("map").hidden = true;
    $("lookup").hidden = true;
    $("account-console").hidden = true;
    for (const id of ["balance", "usage", "transactions", "numbers"]) $(id).replaceChildren();
    $("signout").hidden = true;
    $("sheet").replaceChildren();
    $("lookup-result").replaceChildren();
    $("account").textContent = "Signed out.";
    showPublicPrices();
  });

  // The explorer and the map, for an account or for public prices.
  function showExplorer(listed) {
    countries = listed;
    $("country-list").replaceChildren(...countries.map((c) => el("option", { value: c.name + " (" + c.iso2 + ")" })));
    $("explorer").hidden = false;
    $("map").hidden = false;
    loadMap();
  }

  // Public prices, when the operator publishes them: the explorer and map without a key.
  async function showPublicPrices() {
    const { response, body } = await send("/v1/countries", null).catch(() => ({ response: { ok: false } }));
    if (!response.ok || credentials) return;
    showExplorer(body.countries);
    $("account").textContent = "Showing public prices. Sign in for your account's prices, number lookup and console.";
  }
  showPublicPrices();

  // MARK: Finding a country

  function matches(text) {
    const query = text.trim().toLowerCase();
    if (!query) return [];
    const bracket = query.match(/\(([a-z]{2})\)$/);
    if (bracket) return countries.filter((c) => c.iso2.toLowerCase() === bracket[1]);
    const digits = query.replace(/[\s+()-]/g, "");
    // Best first: the code or the name itself, then names starting with the text, then the rest.
    const rank = (c) => {
      const name = c.name.toLowerCase();
      if (c.iso2.toLowerCase() === query || name === query || (/^\d+$/.test(digits) && c.calling_code === digits)) return 0;
      if (name.startsWith(query)) return 1;
      if (name.includes(query)) return 2;
      return 3;
    };
    return countries.map((c) => [rank(c), c]).filter(([r]) => r < 3).sort((a, b) => a[0] - b[0]).map(([, c]) => c).slice(0, 12);
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

  // In a box of its own that scrolls sideways on a narrow screen, so the page never does; the
  // box takes the focus so that a keyboard can scroll it too.
  function table(caption, headings, rows) {
    return el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption }, el("table", {},
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headings.map((h, i) => el("th", { scope: "col", class: /Description/.test(h) ? "wide" : null }, h)))),
      el("tbody", {}, rows)));
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
    save(rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n", "prices-" + body.country.iso2 + ".csv");
  }

  // MARK: The account: balance, usage, transactions, numbers

  // Money is an exact decimal with 8 places; sums are kept in integer units, never floats.
  function units(text) {
    const negative = text.startsWith("-");
    const [whole, fraction = ""] = text.replace("-", "").split(".");
    const value = BigInt(whole) * 100000000n + BigInt((fraction + "00000000").slice(0, 8));
    return negative ? -value : value;
  }

  function decimal(value) {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().padStart(9, "0");
    return (negative ? "-" : "") + digits.slice(0, -8) + "." + digits.slice(-8);
  }

  async function loadAccount() {
    try {
      const balance = await api("/v1/balance");
      $("balance").replaceChildren(
        el("dt", {}, "Balance"), el("dd", { id: "balance-amount" }, balance.balance + " " + balance.currency),
        el("dt", {}, "Credit limit"), el("dd", {}, balance.credit_limit + " " + balance.currency),
        el("dt", {}, "Available"), el("dd", {}, balance.available + " " + balance.currency));
    } catch (error) {
      problem($("balance"), error);
    }
    loadTransactions(null);
    loadUsage();
    loadNumbers();
  }

  function transactionQuery(cursor) {
    let query = "order=desc&limit=50";
    const type = $("tx-type").value;
    if (type) query += "&type=" + encodeURIComponent(type);
    if ($("tx-from").value) query += "&from=" + encodeURIComponent($("tx-from").value);
    if ($("tx-until").value) query += "&until=" + encodeURIComponent($("tx-until").value);
    if (cursor) query += "&cursor=" + encodeURIComponent(cursor);
    return query;
  }

  async function loadTransactions(cursor) {
    const target = $("transactions");
    try {
      const page = await api("/v1/transactions?" + transactionQuery(cursor));
      const rows = page.transactions.map((t) =>
        el("tr", { "data-id": t.id, "data-reference": t.reference || "" },
          el("td", {}, t.performed_at.replace("T", " ").replace("Z", "")),
          el("td", {}, t.type.replace(/_/g, " ")),
          el("td", { class: "wide" }, t.description),
          el("td", { class: "money amount" }, t.amount),
          el("td", { class: "money" }, t.balance_after)));
      const body = cursor ? target.querySelector("tbody") : null;
      if (body) {
        body.append(...rows);
      } else {
        target.replaceChildren(
          el("p", {}, page.total_count + (page.total_count === 1 ? " transaction" : " transactions")),
          table("Transactions, newest first", ["When (UTC)", "Type", "Description", "Amount", "Balance after"], rows));
      }
      target.querySelector(".more")?.remove();
      if (page.next_cursor) target.append(el("button", { type: "button", class: "more", onclick: () => loadTransactions(page.next_cursor) }, "More"));
    } catch (error) {
      problem(target, error);
    }
  }

  $("tx-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadTransactions(null);
  });

  $("tx-csv").addEventListener("click", async () => {
    try {
      const { response, text } = await send("/v1/transactions?" + transactionQuery(null).replace("limit=50", "limit=1000"), accountKey(), { headers: { Accept: "text/csv" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      save(text, "transactions.csv");
    } catch (error) {
      problem($("transactions"), error);
    }
  });

  async function loadUsage() {
    const target = $("usage");
    const since = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
    try {
      const page = await api("/v1/transactions?type=resource_charge&order=desc&limit=1000&from=" + since);
      const byDay = new Map();
      const byProduct = new Map();
      let currency = "";
      for (const t of page.transactions) {
        const day = t.performed_at.slice(0, 10);
        const product = (t.explanation && t.explanation.product) || "other";
        const charge = -units(t.amount);
        currency = t.currency;
        byDay.set(day, (byDay.get(day) || 0n) + charge);
        byProduct.set(product, (byProduct.get(product) || 0n) + charge);
      }
      if (!byDay.size) {
        target.replaceChildren(el("p", {}, "No usage charged in the last 30 days."));
        return;
      }
      // Every day of the period has its slot, charged or not.
      const days = [];
      for (let day = new Date(since + "T00:00:00Z"); day <= new Date(); day = new Date(day.getTime() + 86400000)) {
        const name = day.toISOString().slice(0, 10);
        days.push([name, byDay.get(name) || 0n]);
      }
      const parts = [chart(days, currency),
        table("Usage by product", ["Product", "Charged"], [...byProduct.entries()].sort().map(([product, sum]) =>
          el("tr", { "data-product": product }, el("td", {}, product), el("td", { class: "money" }, decimal(sum) + " " + currency))))];
      if (page.next_cursor) parts.push(el("p", {}, "The first 1,000 charges of the period are counted."));
      target.replaceChildren(...parts);
    } catch (error) {
      problem(target, error);
    }
  }

  // A bar per day, drawn as SVG; the figures are in the table beside it too.
  function chart(days, currency) {
    const svg = (tag, attributes) => {
      const node = document.createElementNS(svgNS, tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      return node;
    };
    const width = 600, height = 160, gap = 2;
    const largest = days.reduce((max, [, sum]) => (sum > max ? sum : max), 1n);
    const bar = width / days.length;
    const root = svg("svg", { viewBox: "0 0 " + width + " " + (height + 20), role: "img", class: "chart", "aria-label": "Usage charged per day, in " + currency });
    days.forEach(([day, sum], index) => {
      const h = sum > 0n ? Math.max(1, Number((sum * BigInt(height)) / largest)) : 0;
      const rect = svg("rect", { x: index * bar + gap / 2, y: height - h, width: Math.max(1, bar - gap), height: h, class: "bar", "data-day": day });
      const title = svg("title", {});
      title.textContent = day + ": " + decimal(sum) + " " + currency;
      rect.append(title);
      root.append(rect);
    });
    const first = svg("text", { x: 0, y: height + 15, class: "axis" });
    first.textContent = days[0][0];
    const last = svg("text", { x: width, y: height + 15, "text-anchor": "end", class: "axis" });
    last.textContent = days[days.length - 1][0];
    root.append(first, last);
    return root;
  }

  async function loadNumbers() {
    const target = $("numbers");
    try {
      const list = await api("/v1/numbers?limit=1000");
      if (!list.numbers.length) {
        target.replaceChildren(el("p", {}, "No numbers rented."));
        return;
      }
      target.replaceChildren(table("Rented numbers", ["Number", "Country", "Category", "State", "Monthly fee", "Next renewal"], list.numbers.map((n) =>
        el("tr", { "data-number": n.number },
          el("td", {}, n.number), el("td", {}, n.country), el("td", {}, n.category), el("td", {}, n.state),
          el("td", { class: "money" }, n.monthly_fee), el("td", {}, n.next_renewal ? n.next_renewal.slice(0, 10) : "—")))));
    } catch (error) {
      problem(target, error);
    }
  }

  function save(text, name) {
    const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // MARK: The operator: decks and accounts (an operator token, held like the key: in memory)

  let operatorToken = null;
  let checked = null; // the file a dry run accepted: { name, bytes, query }

  function admin(path, options) {
    return send(path, "Bearer " + operatorToken, options);
  }

  $("operator-signin").addEventListener("submit", async (event) => {
    event.preventDefault();
    operatorToken = $("operator-token").value.trim();
    $("operator-token").value = "";
    const { response, body } = await admin("/v1/admin/accounts?limit=1000");
    if (!response.ok) {
      operatorToken = null;
      $("operator-status").textContent = "Operator sign-in failed: " + ((body && body.detail) || "HTTP " + response.status);
      return;
    }
    $("operator-status").textContent = "Signed in as the operator.";
    $("operator").hidden = false;
    renderAccounts(body);
    loadVersions();
  });

  function renderAccounts(body) {
    $("accounts").replaceChildren(table("Accounts", ["Id", "Name", "Currency", "Deck", "Created", "Closed"], body.accounts.map((a) =>
      el("tr", { "data-account": a.id }, el("td", {}, a.id), el("td", {}, a.name), el("td", {}, a.currency), el("td", {}, a.deck),
        el("td", {}, a.created_at.slice(0, 10)), el("td", {}, a.closed_at ? a.closed_at.slice(0, 10) : "")))));
  }

  async function loadVersions() {
    const { response, body } = await admin("/v1/admin/decks?deck=base");
    if (!response.ok) return problem($("deck-versions"), new Error((body && body.detail) || "HTTP " + response.status));
    $("deck-versions").replaceChildren(table("Deck versions, oldest first", ["Version", "Imported", "Kind", "Rows", "Added", "Changes", ""], body.versions.map((v) =>
      el("tr", { "data-version": v.version },
        el("td", {}, v.version), el("td", {}, v.imported_at.replace("T", " ").replace("Z", "")), el("td", {}, v.kind), el("td", {}, v.rows),
        el("td", {}, v.additions), el("td", {}, summaryText(v.summary)),
        el("td", {}, el("button", { type: "button", onclick: () => loadDiff(v.version) }, "Changes"))))));
  }

  function summaryText(summary) {
    return Object.entries(summary || {}).filter(([, n]) => n > 0).map(([name, n]) => n + " " + name.replace(/_/g, " ")).join(", ") || "none";
  }

  async function loadDiff(version) {
    const { response, body } = await admin("/v1/admin/decks/base/diff?from=" + (version - 1) + "&to=" + version);
    if (!response.ok) return problem($("deck-diff"), new Error((body && body.detail) || "HTTP " + response.status));
    $("deck-diff").replaceChildren(
      el("p", {}, "Version " + version + " against " + (version - 1) + ": " + summaryText(body.summary) + (body.truncated ? " (the first changes shown)" : "")),
      table("Changes of version " + version, ["Price", "Change", "Before", "After", "From"], body.changes.map((c) =>
        el("tr", {}, el("td", {}, c.key), el("td", {}, c.change), el("td", {}, c.old ? c.old.price + " " + c.old.currency : "—"),
          el("td", {}, c.new ? c.new.price + " " + c.new.currency : "—"), el("td", {}, c.new ? c.new.effective_from.slice(0, 10) : "")))));
  }

  function deckQuery(dryRun) {
    let query = "kind=" + encodeURIComponent($("deck-kind").value);
    if ($("deck-partial").checked) query += "&partial=true";
    if ($("deck-short-notice").checked) query += "&allow_short_notice=true";
    if (dryRun) query += "&dry_run=true";
    return query;
  }

  async function upload(bytes, query) {
    return admin("/v1/admin/decks?" + query, { method: "POST", body: bytes, headers: { "Content-Type": "text/csv" } });
  }

  // The file's own name and line, as `tariff import` prints them (the API names the body "body").
  function problemLines(name, body) {
    const lines = (body.problems || []).map((p) =>
      el("li", { class: "problem" }, name + ":" + p.line + ": " + (p.column ? p.column + ": " : "") + p.message));
    const more = body.problems_total > lines.length ? el("p", {}, (body.problems_total - lines.length) + " more problems.") : null;
    return [el("p", { class: "error", role: "alert" }, body.detail || "The file was refused."), el("ul", {}, lines), more].filter(Boolean);
  }

  $("deck-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    checked = null;
    $("deck-import").disabled = true;
    const file = $("deck-file").files[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    const { response, body } = await upload(bytes, deckQuery(true));
    if (response.ok) {
      checked = { name: file.name, bytes, query: deckQuery(false) };
      $("deck-import").disabled = false;
      $("deck-result").replaceChildren(el("p", { id: "dry-run" }, file.name + ": " + body.rows + " rows; would add " + body.additions + " price versions (" + summaryText(body.summary) + "). Nothing is stored until you import."));
    } else {
      $("deck-result").replaceChildren(...problemLines(file.name, body || {}));
    }
  });

  $("deck-import").addEventListener("click", async () => {
    if (!checked) return;
    $("deck-import").disabled = true;
    const { response, body } = await upload(checked.bytes, checked.query);
    if (response.ok) {
      $("deck-result").replaceChildren(el("p", { id: "imported" }, checked.name + ": deck version " + body.deck_version + " stored (" + summaryText(body.summary) + ")."));
      loadVersions();
    } else {
      $("deck-result").replaceChildren(...problemLines(checked.name, body || {}));
    }
    checked = null;
  });

  // MARK: World map

  let world = null; // { viewBox, attribution, countries: [{ iso2, name, d }] }, fetched once
  const classCount = 5; // colours c0 (cheapest) to c4 in the style sheet

  async function loadMap() {
    const figure = $("map-figure");
    try {
      if (!world) {
        const response = await fetch($("map").dataset.src, { credentials: "omit" });
        if (!response.ok) throw new Error("the map could not be loaded (HTTP " + response.status + ")");
        world = await response.json();
        $("map-attribution").textContent = world.attribution;
      }
      const currency = $("currency").value.trim().toUpperCase();
      let path = "/v1/countries/summary?product=" + encodeURIComponent($("map-product").value);
      if ($("map-list").value) path += "&list=" + encodeURIComponent($("map-list").value);
      if (currency) path += "&currency=" + encodeURIComponent(currency);
      drawMap(await api(path));
    } catch (error) {
      problem(figure, error);
    }
  }

  const trimmed = (text) => text.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");

  // Classes by quantile of each country's lowest price, so a few dear countries do not wash out
  // the rest; the bounds are the API's own decimal strings.
  function classBounds(lines) {
    const sorted = lines.map((line) => line.lowest).sort((a, b) => Number(a) - Number(b));
    const bounds = [];
    for (let i = 1; i < classCount; i++) {
      const bound = sorted[Math.floor((i * sorted.length) / classCount)];
      // A bound at the lowest price would leave the first class empty.
      if (bound !== undefined && Number(bound) > Number(sorted[0]) && !bounds.includes(bound)) bounds.push(bound);
    }
    return bounds;
  }

  function drawMap(summary) {
    const prices = new Map(summary.countries.map((line) => [line.iso2, line]));
    const bounds = classBounds(summary.countries);
    const classOf = (value) => bounds.filter((bound) => Number(value) >= Number(bound)).length;
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", world.viewBox);
    svg.setAttribute("class", "map");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", "Countries coloured by their lowest " + summary.product + " price in " + summary.currency);
    const tip = $("map-tip");
    const describe = (country, line) =>
      country.name + ": " + (line ? (line.lowest === line.highest ? trimmed(line.lowest) : "from " + trimmed(line.lowest) + " to " + trimmed(line.highest)) + " " + summary.currency + " (" + line.rates + (line.rates === 1 ? " rate)" : " rates)") : "no price");
    for (const country of world.countries) {
      const line = prices.get(country.iso2);
      const text = describe(country, line);
      const shape = document.createElementNS(svgNS, "path");
      shape.setAttribute("d", country.d);
      shape.setAttribute("data-iso", country.iso2);
      shape.setAttribute("class", line ? "priced c" + classOf(line.lowest) : "unpriced");
      if (line) {
        shape.setAttribute("tabindex", "0");
        shape.setAttribute("role", "button");
        shape.setAttribute("aria-label", text);
        const open = () => { tip.textContent = text; loadSheet(country.iso2, 0); };
        shape.addEventListener("click", open);
        shape.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
        });
        shape.addEventListener("focus", () => { tip.textContent = text; });
      }
      shape.addEventListener("mouseenter", () => { tip.textContent = text; });
      const title = document.createElementNS(svgNS, "title");
      title.textContent = text;
      shape.append(title);
      svg.append(shape);
    }
    $("map-figure").replaceChildren(svg);
    const edges = [null, ...bounds, null];
    $("map-legend").replaceChildren(
      ...edges.slice(0, -1).map((low, i) => {
        const high = edges[i + 1];
        const text = low === null && high === null ? "every price" : low === null ? "under " + trimmed(high) : high === null ? trimmed(low) + " and over" : trimmed(low) + " to under " + trimmed(high);
        return el("li", {}, el("span", { class: "swatch c" + i, "aria-hidden": "true" }), text + " " + summary.currency);
      }),
      el("li", {}, el("span", { class: "swatch unpriced", "aria-hidden": "true" }), "no price"));
  }

  $("map-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadMap();
  });

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
