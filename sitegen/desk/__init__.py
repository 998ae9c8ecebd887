"""The editor's desk: Decap CMS on the preview's own address, its proxy backend answered in Python, and 发布.

- `cmsconfig`: the CMS's collections and fields, made from the section tree and the front-matter schema.
- `confine`: every path the desk reads or writes, confined to content/ and assets/; atomic writes.
- `uploads`: uploaded files checked by their content, given ASCII names in the article's month.
- `entrytext`: what the CMS saves, merged into the file so that what she did not change stays byte for byte.
- `backend`: the proxy backend's actions (list, read, save, media, delete) and the desk's own (check, publish).
- `door`: the HTTP side: /admin/ and /api/v1 on serve's address, with the Host and Origin checks.
- `gitpublish`: 发布: the full check, one commit of the changed articles with their pictures, push.
"""
