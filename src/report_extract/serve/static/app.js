/* The page of `report-extract serve`: uploads files to POST /api/read and shows each report
   laid out like the national template, using only the JSON API (and the download links). */
(function () {
  'use strict';

  var DICT = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function fmt(v) {
    if (v === null || v === undefined) { return ''; }
    if (typeof v === 'number') { return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100); }
    return String(v);
  }

  function message(kind, code) {
    var m = DICT && DICT.messages[kind];
    return (m && m[code]) || '';
  }

  function showMessage(text) {
    var box = $('message');
    box.textContent = text;
    box.hidden = !text;
  }

  function loadDictionary() {
    return fetch('/api/dictionary').then(function (r) { return r.json(); }).then(function (d) { DICT = d; return d; });
  }

  /* ---------------- files: inputs, drop of files and folders ---------------- */

  function readEntry(entry, prefix, out) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (f) { out.push({file: f, name: prefix + f.name}); resolve(); }, function () { resolve(); });
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var all = [];
        var next = function () {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              Promise.all(all.map(function (e) { return readEntry(e, prefix + entry.name + '/', out); })).then(resolve);
            } else { all = all.concat(Array.prototype.slice.call(batch)); next(); }
          }, function () { resolve(); });
        };
        next();
      } else { resolve(); }
    });
  }

  function fromDrop(dt) {
    var items = dt.items ? Array.prototype.slice.call(dt.items) : [];
    var entries = items.map(function (i) { return i.webkitGetAsEntry ? i.webkitGetAsEntry() : null; }).filter(Boolean);
    if (!entries.length) {
      return Promise.resolve(Array.prototype.map.call(dt.files, function (f) { return {file: f, name: f.name}; }));
    }
    var out = [];
    return Promise.all(entries.map(function (e) { return readEntry(e, '', out); })).then(function () {
      out.sort(function (a, b) { return a.name.localeCompare(b.name); });
      return out;
    });
  }

  function fromInput(input) {
    return Array.prototype.map.call(input.files, function (f) { return {file: f, name: f.webkitRelativePath || f.name}; });
  }

  /* ---------------- upload with a progress bar ---------------- */

  /* One file per request (the first starts the batch, the others name it: ?batch=ID), so the
     bar moves as the files are read; the cards appear as they come. */
  function post(file, batchId, onUpload) {
    return new Promise(function (resolve) {
      var form = new FormData();
      form.append('files', file.file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/read' + (batchId ? '?batch=' + encodeURIComponent(batchId) : ''));
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { onUpload(e.loaded / e.total); } };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 200 && Array.isArray(body)) {
          resolve({entries: body, batch: xhr.getResponseHeader('X-Batch-Id')});
        } else {
          var err = body && body.error ? body.error : {code: 'http_' + xhr.status, reason: 'HTTP ' + xhr.status};
          resolve({entries: [{name: file.name, error: err}], batch: batchId, fatal: xhr.status === 404});
        }
      };
      xhr.onerror = function () {
        resolve({entries: [{name: file.name, error: {code: 'no_connection', reason: '连接本地服务失败，请确认 report-extract serve 仍在运行。'}}],
          batch: batchId, fatal: true});
      };
      xhr.send(form);
    });
  }

  function upload(files) {
    if (!files.length) { return; }
    showMessage('');
    var bar = $('progress-bar');
    var text = $('progress-text');
    $('progress').hidden = false;
    bar.value = 0;
    startBatch();
    var all = [];
    var batchId = null;
    var step = function (i) {
      if (i >= files.length) {
        $('progress').hidden = true;
        finishBatch(all, batchId);
        return;
      }
      text.textContent = '正在读取第 ' + (i + 1) + ' / ' + files.length + ' 个文件：' + files[i].name;
      post(files[i], batchId, function (f) { bar.value = Math.round(100 * (i + 0.5 * f) / files.length); }).then(function (res) {
        batchId = res.batch || batchId;
        res.entries.forEach(function (e) { addReport(e, all.length); all.push(e); });
        bar.value = Math.round(100 * (i + 1) / files.length);
        if (res.fatal) {
          showMessage('无法继续：' + res.entries[0].error.reason);
          $('progress').hidden = true;
          finishBatch(all, batchId);
          return;
        }
        step(i + 1);
      });
    };
    step(0);
  }

  /* ---------------- one report ---------------- */

  function cellKey(table, row, column) { return table + '.' + row + '.' + column; }

  function involvedCells(check) {
    var fam = DICT.checks.filter(function (f) { return f.family === check.family; })[0];
    if (!fam) { return []; }
    var key = check.check.slice(fam.family.length + 1);
    return fam.lhs.concat(fam.rhs).map(function (part) {
      return fam.axis === 'column' ? cellKey(fam.table, part, key) : cellKey(fam.table, key, part);
    });
  }

  function checkText(check) {
    return (message('check', check.family) || check.rule) + ' 应为 ' + fmt(check.expected) + '，实为 ' + fmt(check.actual) +
      '（相差 ' + fmt(check.difference) + '）';
  }

  function alternativesByCell(meta) {
    var out = {};
    (meta.alternatives || []).forEach(function (alt) {
      (alt.cells || []).forEach(function (c, i) {
        var seen = {};
        (alt.splits || []).forEach(function (s) { if (s[i] !== undefined) { seen[s[i]] = true; } });
        out[c] = Object.keys(seen);
      });
    });
    return out;
  }

  function templateTable(entry, table, failedByCell, alts) {
    var blocks = DICT.layouts[entry.meta.template] && DICT.layouts[entry.meta.template][table];
    if (!blocks) { return null; }
    var cells = {};
    entry.cells.forEach(function (c) { if (c.table === table) { cells[c.row + '.' + c.column] = c; } });
    var withLabels = blocks.some(function (b) { return b.rows.some(function (r) { return r.label; }); });
    var rows = [];
    blocks.forEach(function (block) {
      block.header.forEach(function (hrow, level) {
        var ths = hrow.map(function (h) { return el('th', {colspan: h.colspan > 1 ? h.colspan : null, rowspan: h.rowspan > 1 ? h.rowspan : null, text: h.label}); });
        if (level === 0 && withLabels) {
          ths.unshift(el('th', {'class': 'corner', rowspan: block.header.length > 1 ? block.header.length : null,
            colspan: block.label_columns > 1 ? block.label_columns : null}));
        }
        rows.push(el('tr', {'class': 'head'}, ths));
      });
      block.rows.forEach(function (r) {
        if (r.variant && !r.cells.some(function (k) { return k !== null && cells[k]; })) { return; }  // the other printed form
        var tds = r.cells.map(function (k) {
          if (k === null) { return el('td', {'class': 'none'}); }
          var key = table + '.' + k;
          var cell = cells[k];
          if (!cell) { return el('td', {'class': 'missing', 'data-cell': key, title: '报告中没有这个单元格'}, ['—']); }
          var classes = [];
          var notes = [];
          if (failedByCell[key]) {
            classes.push('check-failed');
            failedByCell[key].forEach(function (ch) { notes.push('校验未通过：' + checkText(ch)); });
          }
          var children = [cell.raw !== null && cell.raw !== undefined && cell.raw !== '' ? String(cell.raw) : fmt(cell.value)];
          if (cell.confidence === 'ambiguous') {
            classes.push('ambiguous');
            var readings = alts[key] || [];
            notes.push('读数不确定' + (readings.length ? '，候选读法：' + readings.join(' / ') : ''));
            var others = readings.filter(function (x) { return x !== String(cell.raw); });
            if (others.length) { children.push(el('span', {'class': 'alt', text: '或 ' + others.join(' / ')})); }
          }
          return el('td', {'class': classes.join(' ') || null, 'data-cell': key, 'data-value': cell.value === null ? '' : String(cell.value),
            title: notes.join('\n') || null}, children);
        });
        if (withLabels) {
          var heads = (r.heads || [{label: r.label, colspan: 1, rowspan: 1}]).map(function (h) {
            return el('th', {'class': 'row', colspan: h.colspan > 1 ? h.colspan : null, rowspan: h.rowspan > 1 ? h.rowspan : null, text: h.label});
          });
          tds = heads.concat(tds);
        }
        rows.push(el('tr', {'data-row': r.code || null}, tds));
      });
    });
    return el('table', {'class': 'template', 'data-table': table}, [el('tbody', {}, rows)]);
  }

  function metaList(entry) {
    var m = entry.meta;
    var r = entry.report || {};
    var division = [r.division_name, r.division_code ? '（' + r.division_code + '）' : ''].join('');
    var pairs = [
      ['发布机关', r.agency || m.agency], ['年度', m.year], ['标题', m.title],
      ['模板', m.template ? m.template + ' 年版国家模板' : ''], ['行政区划', division], ['层级', message('level', r.level) || r.level],
      ['上级', r.parent], ['文件格式', m.source_format]];
    return el('dl', {'class': 'meta'}, [].concat.apply([], pairs.filter(function (p) { return p[1] !== null && p[1] !== undefined && p[1] !== ''; })
      .map(function (p) { return [el('dt', {text: p[0]}), el('dd', {text: String(p[1])})]; })));
  }

  function renderReport(entry, index) {
    var id = 'report-' + index;
    if (entry.error) {
      return el('article', {'class': 'report failed', id: id, 'data-name': entry.name, 'data-error': entry.error.code}, [
        el('h2', {text: entry.name}),
        el('p', {'class': 'status-bad', text: '无法读取这个文件'}),
        el('p', {'class': 'reason'}, [message('error', entry.error.code) + ' ', el('span', {'class': 'error-reason', text: entry.error.reason}),
          el('span', {'class': 'code', text: '（' + entry.error.code + '）'})])]);
    }
    var failed = entry.checks.filter(function (c) { return c.passed === false; });
    var failedByCell = {};
    failed.forEach(function (ch) {
      involvedCells(ch).forEach(function (k) { (failedByCell[k] = failedByCell[k] || []).push(ch); });
    });
    var alts = alternativesByCell(entry.meta);
    var nAmb = entry.cells.filter(function (c) { return c.confidence === 'ambiguous'; }).length;
    var status = failed.length ? el('p', {'class': 'status-bad', text: failed.length + ' 项勾稽校验未通过（报告中的数字本身对不上）'})
      : el('p', {'class': 'status-ok', text: '全部 ' + entry.checks.length + ' 项勾稽校验通过'});
    var parts = [el('h2', {text: entry.name}), metaList(entry), status];
    if (nAmb) { parts.push(el('p', {'class': 'status-warn', text: nAmb + ' 个单元格读数不确定，请对照原文核对（橙色虚线框）'})); }
    parts.push(el('p', {'class': 'legend'}, [el('span', {'class': 'check-failed-legend', style: 'background:#fbd3d7', text: '红框：校验未通过涉及的单元格'}),
      el('span', {style: 'background:#ffe9c2', text: '橙色虚线框：读数不确定'}), el('span', {text: '把鼠标放在单元格上可看说明'})]));
    DICT.tables.forEach(function (t) {
      var tbl = templateTable(entry, t.table, failedByCell, alts);
      if (tbl) { parts.push(el('h3', {text: t.title}), tbl); }
    });
    if (failed.length) {
      parts.push(el('h3', {text: '未通过的勾稽校验'}), el('ul', {'class': 'failed-checks'}, failed.map(function (ch) {
        return el('li', {'data-check': ch.check}, [checkText(ch) + ' ', el('span', {'class': 'code', text: ch.check})]);
      })));
    }
    if ((entry.meta.alternatives || []).length) {
      parts.push(el('h3', {text: '读数不确定的单元格'}), el('ul', {'class': 'ambiguities'}, entry.meta.alternatives.map(function (a) {
        return el('li', {text: (a.cells || []).join('、') + '：可能的读法 ' + (a.splits || []).map(function (s) { return s.join('|'); }).join('；') +
          (a.chosen ? '（表中暂取 ' + a.chosen.join('|') + '）' : '')});
      })));
    }
    if (entry.issues.length) {
      parts.push(el('h3', {text: '需要注意的问题'}), el('ul', {'class': 'issues'}, entry.issues.map(function (i) {
        return el('li', {'data-code': i.code, 'class': 'sev-' + i.severity}, [
          (message('issue', i.code) || i.message) + ' ', el('span', {'class': 'code', text: '（' + i.code + (i.where ? '，' + i.where : '') + '）'}),
          el('details', {}, [el('summary', {text: '详情'}), el('span', {text: i.message})])]);
      })));
    }
    return el('article', {'class': 'report', id: id, 'data-name': entry.name}, parts);
  }

  /* ---------------- the batch ---------------- */

  function startBatch() {
    $('results').textContent = '';
    $('toc').textContent = '';
    $('batch').hidden = true;
    document.body.removeAttribute('data-loaded');
  }

  function addReport(entry, index) {
    $('toc').appendChild(el('a', {href: '#report-' + index, 'class': entry.error ? 'reason' : null, text: entry.name}));
    $('results').appendChild(renderReport(entry, index));
  }

  function finishBatch(entries, batchId) {
    var ok = entries.filter(function (e) { return !e.error; }).length;
    var failed = entries.filter(function (e) { return !e.error && e.checks.some(function (c) { return c.passed === false; }); }).length;
    $('batch-summary').textContent = '共 ' + entries.length + ' 个文件：读取成功 ' + ok + ' 份，其中 ' + failed +
      ' 份有未通过的勾稽校验；无法读取 ' + (entries.length - ok) + ' 个。';
    ['xlsx', 'csv', 'sqlite', 'datapackage'].forEach(function (k) {
      $('dl-' + k).setAttribute('href', '/api/batches/' + encodeURIComponent(batchId || '') + '/download/' + k);
      $('dl-' + k).hidden = !ok || !batchId;
    });
    $('compare-box').hidden = !ok || !batchId;
    $('compare-box').open = ok > 1;  // a comparison needs more than one report
    $('compare').setAttribute('src', ok && batchId ? '/api/batches/' + encodeURIComponent(batchId) + '/compare' : 'about:blank');
    $('batch').hidden = false;
    $('batch').setAttribute('data-batch', batchId || '');
    document.body.setAttribute('data-loaded', String(entries.length));
  }

  /* ---------------- wiring ---------------- */

  function start() {
    var drop = $('drop');
    ['dragenter', 'dragover'].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) { fromDrop(e.dataTransfer).then(upload); });
    $('file-input').addEventListener('change', function (e) { upload(fromInput(e.target)); e.target.value = ''; });
    $('folder-input').addEventListener('change', function (e) { upload(fromInput(e.target)); e.target.value = ''; });
  }

  loadDictionary().then(function () { document.body.setAttribute('data-ready', '1'); start(); })
    .catch(function () { showMessage('无法连接本地服务。'); });
}());
