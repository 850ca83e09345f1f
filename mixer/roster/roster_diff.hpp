// The partial-state body (RFC 4575 section 4.6) that turns one normalised view into another.
// Users and sidebars are matched by number; what changed is written with state="partial", what
// is new with state="full", what went away with state="deleted".
#pragma once

#include <string>

#include "mixer/roster/roster_view.hpp"
#include "mixer/roster/roster_xml.hpp"

namespace sidebar::mixer::roster {

// <users state="partial"> for the change from before to after (both sorted by number); writes
// nothing and returns false when no user changed.
bool write_users_diff(std::string& out, const UserList& before, const UserList& after, Scope scope);

// The children of a partial conference-info (description, state, users, sidebars-by-val) for the
// change from before to after; returns false when nothing changed. The views must describe the
// same conference entity.
bool write_conference_diff(std::string& out, const ConferenceView& before,
                           const ConferenceView& after);

}  // namespace sidebar::mixer::roster
