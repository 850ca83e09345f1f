// The RFC 4575 elements of a conference-info document, written from a normalised ConferenceView.
// Children are written in the schema's sequence order; all text in the view is already escaped.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mixer/roster/roster_view.hpp"

namespace sidebar::mixer::roster {

using UserList = std::vector<const UserView*>;

// Our extension namespace for values RFC 4575 has no element for (member number, speaking).
inline constexpr const char* kExtensionNs = "urn:sidebar:conference-info";

// <conference-info ...> start tag with both namespaces; state is "full" or "partial".
void write_root_open(std::string& out, const ConferenceView& view, const char* state,
                     unsigned long version);
void write_root_close(std::string& out);

// The main room's <conference-description> (display-text, conf-uris, maximum-user-count).
void write_main_description(std::string& out, const ConferenceView& view);
// A sidebar's <conference-description> (its subject).
void write_sidebar_description(std::string& out, const SidebarView& sidebar);
// <conference-state> with user-count and active.
void write_state(std::string& out, std::size_t user_count);

// <user state="full"> with its endpoint and media, as shown in scope.
void write_user_full(std::string& out, const UserView& user, Scope scope);
// <user state="deleted"/> for a key.
void write_user_deleted(std::string& out, const std::string& key);
// <user state="partial"> with only what changed between before and after (same key); writes
// nothing and returns false when nothing a subscriber sees changed.
bool write_user_partial(std::string& out, const UserView& before, const UserView& after,
                        Scope scope);
// <users> with every user in full.
void write_users_full(std::string& out, const UserList& users, Scope scope);

// A sidebars-by-val <entry state="full"> with its description, state and users.
void write_sidebar_full(std::string& out, const SidebarView& sidebar);

// The main users of view, as a UserList.
UserList all_users(const ConferenceView& view);

}  // namespace sidebar::mixer::roster
