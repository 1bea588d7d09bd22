-- mod_wiretap: a test aid for <e2ee-chat>. It appends every <message/> a
-- local client sends (before any routing, archiving or offline storage) as one
-- JSON line to `wiretap_file`, so a test can prove what crossed the server:
--   {"from":"1-1@localhost/res","to":"2-1@localhost","type":"chat","body":"?OTR:..."}
-- `body` is JSON null for messages without one (chat states, receipts, ...).
-- Never load this on a server that carries real conversations.

local json = require "util.json";

local path = module:get_option_string("wiretap_file");
if not path then
	module:log("error", "wiretap_file is not set; mod_wiretap does nothing");
	return;
end

local function record(event)
	local origin, stanza = event.origin, event.stanza;
	if not origin or origin.type ~= "c2s" then return; end
	local line = json.encode({
		from = stanza.attr.from or origin.full_jid or json.null;
		to = stanza.attr.to or json.null;
		type = stanza.attr.type or json.null;
		id = stanza.attr.id or json.null;
		body = stanza:get_child_text("body") or json.null;
	});
	local file, err = io.open(path, "a");
	if not file then
		module:log("error", "cannot open %s: %s", path, tostring(err));
		return;
	end
	file:write(line, "\n");
	file:close();
end

-- High priority: record before any other handler may stop the event.
module:hook("pre-message/bare", record, 1000);
module:hook("pre-message/full", record, 1000);
module:hook("pre-message/host", record, 1000);
