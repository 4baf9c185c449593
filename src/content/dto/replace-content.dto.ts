import { CreateContentDto } from './create-content.dto';

/**
 * PUT: every editable field at once. Absent optional fields go back to their defaults; any field
 * that is not editable (`authorId`, `comments`, timestamps…) is a 400.
 */
export class ReplaceContentDto extends CreateContentDto {}
