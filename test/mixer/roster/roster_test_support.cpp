// libxml2 parsing, XPath and the model subscriber used by the roster tests.
#include "test/mixer/roster/roster_test_support.hpp"

#include <cstring>
#include <string_view>

namespace sidebar::mixer::test {
namespace {

std::string_view name_of(const xmlNode* n) {
    return reinterpret_cast<const char*>(n->name);
}

bool is(const xmlNode* n, const char* ns, std::string_view name) {
    return n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0 && name_of(n) == name;
}

std::string attr(const xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (v == nullptr) return {};
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

std::string text(const xmlNode* n) {
    xmlChar* v = xmlNodeGetContent(n);
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
}

template <typename F>
void each_child(const xmlNode* n, F f) {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next)
        if (c->type == XML_ELEMENT_NODE) f(c);
}

void apply_media(ModelUser& u, const xmlNode* media) {
    u.codec.clear();
    each_child(media, [&](const xmlNode* c) {
        if (is(c, kConfNs, "display-text")) u.codec = text(c);
        if (is(c, kConfNs, "status")) u.media_status = text(c);
    });
}

void apply_endpoint(ModelUser& u, const xmlNode* ep) {
    u.endpoint = attr(ep, "entity");
    each_child(ep, [&](const xmlNode* c) {
        if (is(c, kConfNs, "status")) u.status = text(c);
        if (is(c, kConfNs, "joining-info"))
            each_child(c, [&](const xmlNode* w) {
                if (is(w, kConfNs, "when")) u.when = text(w);
            });
        if (is(c, kConfNs, "media")) apply_media(u, c);
    });
}

void apply_user_children(ModelUser& u, const xmlNode* user) {
    each_child(user, [&](const xmlNode* c) {
        if (is(c, kConfNs, "display-text")) u.display = text(c);
        if (is(c, kConfNs, "endpoint")) apply_endpoint(u, c);
        if (is(c, kSbNs, "member-number")) u.number = text(c);
        if (is(c, kSbNs, "speaking")) u.speaking = text(c);
    });
}

void apply_users(ModelConf& conf, const xmlNode* users) {
    if (attr(users, "state") != "partial") conf.users.clear();
    each_child(users, [&](const xmlNode* user) {
        if (!is(user, kConfNs, "user")) return;
        const std::string key = attr(user, "entity");
        const std::string state = attr(user, "state");
        if (state == "deleted") {
            conf.users.erase(key);
            return;
        }
        if (state != "partial") conf.users[key] = ModelUser{};
        apply_user_children(conf.users[key], user);
    });
}

void apply_conference(ModelConf& conf, const xmlNode* node, Model* model);

void apply_sidebars(Model& model, const xmlNode* sidebars) {
    if (attr(sidebars, "state") != "partial") model.sidebars.clear();
    each_child(sidebars, [&](const xmlNode* entry) {
        if (!is(entry, kConfNs, "entry")) return;
        const std::string key = attr(entry, "entity");
        const std::string state = attr(entry, "state");
        if (state == "deleted") {
            model.sidebars.erase(key);
            return;
        }
        if (state != "partial") model.sidebars[key] = ModelConf{};
        apply_conference(model.sidebars[key], entry, nullptr);
    });
}

void apply_conference(ModelConf& conf, const xmlNode* node, Model* model) {
    each_child(node, [&](const xmlNode* c) {
        if (is(c, kConfNs, "conference-description")) {
            conf.name.clear();
            conf.subject.clear();
            conf.max.clear();
            each_child(c, [&](const xmlNode* d) {
                if (is(d, kConfNs, "display-text")) conf.name = text(d);
                if (is(d, kConfNs, "subject")) conf.subject = text(d);
                if (is(d, kConfNs, "maximum-user-count")) conf.max = text(d);
            });
        }
        if (is(c, kConfNs, "conference-state"))
            each_child(c, [&](const xmlNode* d) {
                if (is(d, kConfNs, "user-count")) conf.user_count = text(d);
                if (is(d, kConfNs, "active")) conf.active = text(d);
            });
        if (is(c, kConfNs, "users")) apply_users(conf, c);
        if (model != nullptr && is(c, kConfNs, "sidebars-by-val")) apply_sidebars(*model, c);
    });
}

}  // namespace

DocPtr parse_xml(const std::string& text) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == nullptr) return nullptr;
    DocPtr doc(xmlCtxtReadMemory(ctxt, text.data(), static_cast<int>(text.size()), nullptr, "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const bool ok = doc != nullptr && ctxt->wellFormed && ctxt->nsWellFormed;
    xmlFreeParserCtxt(ctxt);
    return ok ? std::move(doc) : nullptr;
}

namespace {
struct XPathResult {
    xmlXPathContextPtr ctx = nullptr;
    xmlXPathObjectPtr obj = nullptr;
    XPathResult(xmlDoc* doc, const std::string& expr) {
        ctx = xmlXPathNewContext(doc);
        xmlXPathRegisterNs(ctx, BAD_CAST "c", BAD_CAST kConfNs);
        xmlXPathRegisterNs(ctx, BAD_CAST "sb", BAD_CAST kSbNs);
        obj = xmlXPathEvalExpression(BAD_CAST expr.c_str(), ctx);
    }
    ~XPathResult() {
        xmlXPathFreeObject(obj);
        xmlXPathFreeContext(ctx);
    }
};
}  // namespace

double xp_number(xmlDoc* doc, const std::string& expr) {
    XPathResult r(doc, expr);
    return r.obj ? xmlXPathCastToNumber(r.obj) : -1;
}

std::string xp_string(xmlDoc* doc, const std::string& expr) {
    XPathResult r(doc, expr);
    if (!r.obj) return "<xpath error>";
    xmlChar* s = xmlXPathCastToString(r.obj);
    std::string out = reinterpret_cast<const char*>(s);
    xmlFree(s);
    return out;
}

bool apply(Model& model, xmlDoc* doc) {
    const xmlNode* root = xmlDocGetRootElement(doc);
    if (root == nullptr || !is(root, kConfNs, "conference-info")) return false;
    const std::string state = attr(root, "state");
    const unsigned long version = std::stoul(attr(root, "version"));
    if (state == "partial") {
        if (model.version == 0 || version != model.version + 1) return false;
    } else {
        model = Model{};
    }
    model.version = version;
    model.entity = attr(root, "entity");
    apply_conference(model.main, root, &model);
    return true;
}

RosterMember member(uint32_t number, const std::string& name, uint32_t sidebar) {
    RosterMember m;
    m.number = number;
    m.entity = "sip:" + name + "@example.com";
    m.display_name = name;
    m.call_id = "call-" + std::to_string(number);
    m.sidebar = sidebar;
    m.codec = "PCMU";
    m.joined_at = "2024-05-01T10:00:0" + std::to_string(number % 10) + "Z";
    return m;
}

RosterSnapshot room_with(uint32_t n) {
    RosterSnapshot s;
    s.room = "1000";
    s.room_name = "Demo room";
    s.focus_host = "127.0.0.1:5070";
    s.max_members = 50;
    for (uint32_t i = 1; i <= n; ++i)
        s.members.push_back(member(i, "user" + std::to_string(i)));
    return s;
}

}  // namespace sidebar::mixer::test
