"""What the app shows, as Rich ``Text``: its words, data text, dates, table columns,
a record's detail, bars and citations.  No Textual here (Rich and the core only)."""
