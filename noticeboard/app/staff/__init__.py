"""Staff screens of the Textual app: login, card index, phone intake, suggestions, matches, follow-up,
statistics, audit log and peers. The desk logic lives in ``noticeboard.desk``; these screens only show it."""
