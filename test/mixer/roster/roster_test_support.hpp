// Test helpers for the roster documents: parse with libxml2 (well-formedness and namespaces
// checked), XPath queries, and a small RFC 4575 subscriber that applies full and partial
// documents to a local model, so a test can check full(before) + partial == full(after).
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <map>
#include <memory>
#include <string>

#include "mixer/roster/roster_types.hpp"

namespace sidebar::mixer::test {

inline constexpr const char* kConfNs = "urn:ietf:params:xml:ns:conference-info";
inline constexpr const char* kSbNs = "urn:sidebar:conference-info";

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// Parses text; returns null unless it is well-formed XML with well-formed namespaces.
DocPtr parse_xml(const std::string& text);

// XPath with prefixes c (conference-info) and sb (our extension).
double xp_number(xmlDoc* doc, const std::string& expr);
std::string xp_string(xmlDoc* doc, const std::string& expr);

struct ModelUser {
    std::string display, endpoint, status, media_status, codec, when, number, speaking;
    bool operator==(const ModelUser&) const = default;
};
struct ModelConf {
    std::string name, subject, max, user_count, active;
    std::map<std::string, ModelUser> users;
    bool operator==(const ModelConf&) const = default;
};
struct Model {
    std::string entity;
    unsigned long version = 0;
    ModelConf main;
    std::map<std::string, ModelConf> sidebars;
    bool operator==(const Model&) const = default;
};

// Applies a parsed document the way an RFC 4575 subscriber does; false on a version gap or on a
// partial document before any full one.
bool apply(Model& model, xmlDoc* doc);

// A member with the usual fields filled.
RosterMember member(uint32_t number, const std::string& name, uint32_t sidebar = 0);
// Room 1000 at 127.0.0.1:5070 with members 1..n.
RosterSnapshot room_with(uint32_t n);

}  // namespace sidebar::mixer::test
