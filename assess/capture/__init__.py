"""Answer capture: interview, offline HTML form, spreadsheet workshop and merging respondents."""
