"""Sample corpora shipped with searchlib: hand-written news pages with gold boilerplate labels."""
