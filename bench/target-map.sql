-- Maps the benchmark kit's staging tables (schema seed_src, see ../shared/bench/README.md) into
-- this app's schema, after its migrations ran. Column names are the entities' camelCase names.

-- Bench users never log in (the token comes from a user the token command registers); the hash
-- column is NOT NULL, so a fixed placeholder that is no valid hash of anything.
INSERT INTO users (id, email, username, "normalizedUsername", "passwordHash", "fullName",
                   "isActive", role, "createdAt", "updatedAt")
SELECT uuid, lower(email), username, lower(username), 'bench-seed-placeholder-not-a-password-hash',
       NULL, true, 'user', timestamp '2023-01-01 00:00:00', timestamp '2023-01-01 00:00:00'
FROM seed_src.users;

INSERT INTO tags (id, name, "createdAt")
SELECT uuid, name, timestamp '2023-01-01 00:00:00' FROM seed_src.tags;

-- Every post published (anonymous readers see published posts; the kit expects all 10,000).
-- Slugs: every title starts "Post <n>:", so the derived slugs are unique.
INSERT INTO posts (id, title, slug, content, published, "publishedAt", "authorId",
                   "createdAt", "updatedAt")
SELECT uuid, title,
       left(trim(both '-' from lower(regexp_replace(title, '[^A-Za-z0-9]+', '-', 'g'))), 255),
       content, true, created_at, author_uuid, created_at, created_at
FROM seed_src.posts;

INSERT INTO post_tags ("postId", "tagId")
SELECT post_uuid, tag_uuid FROM seed_src.post_tags;
